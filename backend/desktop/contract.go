package desktop

import (
	"context"
	"maps"
	"reflect"
	"slices"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/config"
	"thinkcloud/backend/core"
	"thinkcloud/backend/history"
	"thinkcloud/backend/update"
	"thinkcloud/backend/usage"
)

// frontend/src/api/types.ts is written from WindowContract; a test in
// internal/tsgen fails when the checked-in file is not what this writes.
//go:generate go run ./internal/tsgen -o ../../frontend/src/api/types.ts

// Contract is what Go and the window agree on, as the TypeScript writer
// (internal/tsgen) reads it: the JSON of every bound method's arguments
// and result and of every event's payload, as encoding/json (which Wails
// uses) writes and reads them.
type Contract struct {
	// Services are the bound services, DiagService included.
	Services []any
	// Topics is a struct whose fields are Topic values (desktop.Topics).
	Topics any
	// Enums are the string places that hold one of a fixed set of values.
	Enums []Enum
	// Names renames Go types whose own name says too little in the
	// window; every other type keeps its Go name.
	Names map[reflect.Type]string
}

// Enum is a set of string values, written in TypeScript as a union of
// literals ('delta' | 'reasoning' | …) named Name, and the places that
// hold one of them.
type Enum struct {
	Name   string
	Values []string
	At     []EnumAt
}

// EnumAt is a place holding an enum's value: a struct field (Struct and
// Field, the Go name) or an argument of a bound method (Method as
// "Service.Method", Arg counting from 0). OrEmpty also allows "".
type EnumAt struct {
	Struct  reflect.Type
	Field   string
	Method  string
	Arg     int
	OrEmpty bool
}

func field[T any](name string) EnumAt { return EnumAt{Struct: reflect.TypeFor[T](), Field: name} }

func orEmpty(at EnumAt) EnumAt { at.OrEmpty = true; return at }

func strs[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// errorKinds are the ChatError kinds, in the order the window lists them.
var errorKinds = []string{ErrNoKey, ErrInvalidKey, ErrInsufficientBalance, ErrRateLimited,
	ErrUnreachable, ErrTimeout, ErrBadRequest, ErrRetired, ErrProviderError, ErrStopped, ErrOther}

// enums are every string place of the contract with fixed values: the one
// list both sides take them from.
func enums() []Enum {
	return []Enum{
		{"StreamKind", []string{KindDelta, KindReasoning, KindDone, KindError}, []EnumAt{field[StreamEvent]("Kind")}},
		{"ErrorKind", errorKinds, []EnumAt{field[ChatError]("Kind"), orEmpty(field[MessageView]("ErrorKind")), orEmpty(field[TestResult]("Kind")), orEmpty(field[core.ModelEvent]("ErrorKind"))}},
		{"Role", strs(history.RoleUser, history.RoleAssistant, history.RoleSystem), []EnumAt{field[MessageView]("Role")}},
		{"MessageStatus", strs(history.StatusComplete, history.StatusStreaming, history.StatusInterrupted, history.StatusError, history.StatusStopped),
			[]EnumAt{field[MessageView]("Status")}},
		{"ContextMode", []string{ContextAll, ContextTurns, ContextBudget}, []EnumAt{orEmpty(field[ContextLimit]("Mode"))}},
		{"ReasoningEffort", catalog.Efforts, []EnumAt{orEmpty(field[Params]("ReasoningEffort"))}},
		{"ThinkingMode", []string{catalog.ReasoningNone, catalog.ReasoningOptional, catalog.ReasoningAlways}, []EnumAt{field[catalog.Thinking]("Mode")}},
		{"ModelSource", core.ModelSources, []EnumAt{field[ModelInfo]("Source")}},
		{"ModelEventKind", core.ModelEvents, []EnumAt{field[core.ModelEvent]("Kind")}},
		{"HistoryState", []string{HistoryOpening, HistoryUpgrading, HistoryReady, HistoryFailed}, []EnumAt{field[HistoryStatus]("State")}},
		{"EndpointState", core.EndpointStates, []EnumAt{field[core.EndpointStatus]("State")}},
		{"ProxyMode", core.ProxyModes, []EnumAt{field[core.Proxy]("Mode")}},
		{"Theme", core.Themes, []EnumAt{field[core.Settings]("Theme")}},
		{"LanguageSetting", core.Languages, []EnumAt{field[core.Settings]("Language")}},
		{"KeySource", core.KeySources, []EnumAt{field[core.KeyInfo]("Source")}},
		{"CircuitState", core.CircuitStates, []EnumAt{field[ProviderView]("Circuit")}},
		{"KeyState", core.KeyStates, []EnumAt{field[KeyView]("State")}},
		{"UpdateCheck", []string{config.UpdateCheckOn, config.UpdateCheckOff}, []EnumAt{orEmpty(field[UpdateView]("Check"))}},
		{"TitleCost", []string{TitleFree, TitleCheap}, []EnumAt{orEmpty(field[ModelInfo]("TitleCost"))}},
		{"ProblemCode", problemCodes, []EnumAt{field[Problem]("Code")}},
		{"SettingsRule", config.Rules(), []EnumAt{orEmpty(field[Problem]("Rule"))}},
		{"ExportFormat", slices.Sorted(maps.Keys(exportFormats)), []EnumAt{{Method: "HistoryService.ExportFile", Arg: 1}}},
		{"AttachProblem", attachProblems, []EnumAt{orEmpty(field[AttachResult]("Problem"))}},
		{"AttachmentKind", attachmentKinds, []EnumAt{field[history.Attachment]("Kind")}},
	}
}

// WindowContract is the contract of this build's window: the services
// NewServices binds (with DiagService, which is bound only on request)
// and Topics.
func WindowContract() Contract {
	diagOn := func(k string) string { return map[string]string{"THINKCLOUD_DIAG_FILE": "diag.jsonl"}[k] }
	return Contract{
		Services: NewServices(context.Background(), nil, nil, diagOn).Bind(),
		Topics:   Topics,
		Enums:    enums(),
		Names: map[reflect.Type]string{reflect.TypeFor[core.EndpointStatus](): "EndpointStatus",
			reflect.TypeFor[usage.Record](): "UsageRecord", reflect.TypeFor[usage.Filter](): "UsageFilter",
			reflect.TypeFor[usage.Page](): "RequestPage", reflect.TypeFor[usage.Health](): "UsageLogHealth",
			reflect.TypeFor[update.Notice](): "UpdateNotice"},
	}
}
