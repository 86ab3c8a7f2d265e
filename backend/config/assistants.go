package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"thinkcloud/backend/catalog"
)

// Assistants are the user's named chat presets and saved prompts, kept in
// settings.json beside the other choices the user makes once and keeps
// (aliases, the default model): they are small, they travel with the
// settings file, and the history database stays about conversations.
type Assistants struct {
	// Presets are the user's own assistants, in the order shown; the
	// built-in ones (BuiltinAssistants) are not stored.
	Presets []Assistant `json:"presets,omitempty"`
	// Prompts is the prompt library the composer's "/" offers.
	Prompts []Prompt `json:"prompts,omitempty"`
	// Default is the id of the assistant new chats start with, a stored
	// one or a built-in; "" starts them with no preset.
	Default string `json:"default,omitempty"`
}

// Assistant is a named preset for a chat: what the model is told, which
// model, and how it is asked to answer and think.
type Assistant struct {
	// ID is stable across renames; lower-case letters, digits and "-".
	ID   string `json:"id"`
	Name string `json:"name"`
	// System is the system prompt; "" sends none.
	System string `json:"system,omitempty"`
	// Model is the model to use as the catalog names it; "" keeps the
	// model the composer has.
	Model string `json:"model,omitempty"`
	// Params are the sampling and thinking choices; nil fields keep the
	// model's defaults.
	Params PresetParams `json:"params,omitzero"`
	// Builtin is true for BuiltinAssistants; it is never saved.
	Builtin bool `json:"builtin,omitempty"`
}

// PresetParams are the chat parameters an assistant sets, with the JSON
// names the window's Params uses so the window copies them over as they are.
type PresetParams struct {
	Temperature      *float64 `json:"temperature,omitempty"`
	TopP             *float64 `json:"topP,omitempty"`
	MaxTokens        *int     `json:"maxTokens,omitempty"`
	FrequencyPenalty *float64 `json:"frequencyPenalty,omitempty"`
	PresencePenalty  *float64 `json:"presencePenalty,omitempty"`
	// ReasoningEffort is "" or one of catalog.Efforts.
	ReasoningEffort string `json:"reasoningEffort,omitempty"`
	// Thinking switches thinking on or off; nil keeps the model's default.
	Thinking       *bool `json:"thinking,omitempty"`
	ThinkingBudget *int  `json:"thinkingBudget,omitempty"`
}

// Prompt is one saved prompt, inserted into the composer with "/".
type Prompt struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Text string `json:"text"`
}

// Limits that keep a pasted or imported file from filling settings.json.
const (
	maxPresets      = 200
	maxPrompts      = 500
	maxNameRunes    = 80
	maxPresetText   = 32 << 10 // a system prompt or a saved prompt, in bytes
	builtinIDPrefix = "builtin-"
)

// BuiltinAssistants returns the assistants every install has, named and
// worded in lang (LanguageChinese or anything else for English). Their ids
// start with "builtin-", which stored assistants may not use.
func BuiltinAssistants(lang string) []Assistant {
	low, zero := 0.3, 0.0
	zh := lang == LanguageChinese
	pick := func(en, cn string) string {
		if zh {
			return cn
		}
		return en
	}
	return []Assistant{
		{ID: builtinIDPrefix + "translator", Builtin: true, Name: pick("Translator", "翻译助手"),
			System: pick("You are a translator. Translate the user's text into English if it is in another language, or into Simplified Chinese if it is in English. Keep the meaning, tone and formatting; output only the translation.",
				"你是一名翻译。用户的文字若是中文，请译成英文；若是其他语言，请译成简体中文。保持原意、语气和格式，只输出译文。"),
			Params: PresetParams{Temperature: &low}},
		{ID: builtinIDPrefix + "reviewer", Builtin: true, Name: pick("Code reviewer", "代码审查"),
			System: pick("You are a careful code reviewer. Point out bugs, security problems and unclear code first, most serious first, each with the line and a concrete fix. Mention style only when it hides a bug. Be brief.",
				"你是一名严谨的代码审查者。先指出缺陷、安全问题和难懂的代码，按严重程度排序，每条给出所在行和具体的修改办法。只有当风格问题掩盖了缺陷时才提风格。请简明扼要。"),
			Params: PresetParams{Temperature: &zero}},
		{ID: builtinIDPrefix + "concise", Builtin: true, Name: pick("Concise", "简洁回答"),
			System: pick("Answer in as few words as the question allows. No preamble, no summary, no repeating the question.",
				"用问题允许的最少文字回答。不要开场白，不要总结，不要复述问题。")},
	}
}

// validateAssistants checks the presets and prompts: the rules a file
// edited by hand or imported must meet before anything is saved.
func validateAssistants(a Assistants, add addFunc) {
	if len(a.Presets) > maxPresets {
		add("assistants.presets", "max_assistants", "max", strconv.Itoa(maxPresets))
	}
	if len(a.Prompts) > maxPrompts {
		add("assistants.prompts", "max_prompts", "max", strconv.Itoa(maxPrompts))
	}
	ids := map[string]bool{}
	for i, p := range a.Presets {
		f := fmt.Sprintf("assistants.presets[%d]", i)
		checkEntry(f, p.ID, p.Name, ids, add)
		if len(p.System) > maxPresetText {
			add(f+".system", "max_bytes", "max", strconv.Itoa(maxPresetText))
		}
		if strings.TrimSpace(p.Model) != p.Model {
			add(f+".model", "model_name_spaces")
		}
		if p.Builtin {
			add(f+".builtin", "stored_builtin")
		}
		validatePresetParams(f+".params", p.Params, add)
	}
	if a.Default != "" && !ids[a.Default] && !slices.ContainsFunc(BuiltinAssistants(""), func(b Assistant) bool { return b.ID == a.Default }) {
		add("assistants.default", "no_such_assistant", "id", a.Default)
	}
	promptIDs := map[string]bool{}
	for i, p := range a.Prompts {
		f := fmt.Sprintf("assistants.prompts[%d]", i)
		checkEntry(f, p.ID, p.Name, promptIDs, add)
		if strings.TrimSpace(p.Text) == "" {
			add(f+".text", "not_empty")
		} else if len(p.Text) > maxPresetText {
			add(f+".text", "max_bytes", "max", strconv.Itoa(maxPresetText))
		}
	}
}

func checkEntry(f, id, name string, seen map[string]bool, add addFunc) {
	switch {
	case id == "" || strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" || len(id) > 64:
		add(f+".id", "entry_id")
	case strings.HasPrefix(id, builtinIDPrefix):
		add(f+".id", "builtin_prefix", "prefix", builtinIDPrefix)
	case seen[id]:
		add(f+".id", "duplicate_id", "id", id)
	}
	seen[id] = true
	if strings.TrimSpace(name) == "" {
		add(f+".name", "not_empty")
	} else if utf8.RuneCountInString(name) > maxNameRunes {
		add(f+".name", "max_chars", "max", strconv.Itoa(maxNameRunes))
	}
}

func validatePresetParams(f string, p PresetParams, add addFunc) {
	if t := p.Temperature; t != nil && (*t < 0 || *t > 2) {
		add(f+".temperature", "between", "min", "0", "max", "2")
	}
	if t := p.TopP; t != nil && (*t < 0 || *t > 1) {
		add(f+".topP", "between", "min", "0", "max", "1")
	}
	if m := p.MaxTokens; m != nil && *m < 1 {
		add(f+".maxTokens", "at_least", "min", "1")
	}
	for name, v := range map[string]*float64{"frequencyPenalty": p.FrequencyPenalty, "presencePenalty": p.PresencePenalty} {
		if v != nil && (*v < -2 || *v > 2) {
			add(f+"."+name, "between", "min", "-2", "max", "2")
		}
	}
	if p.ReasoningEffort != "" && !slices.Contains(catalog.Efforts, p.ReasoningEffort) {
		add(f+".reasoningEffort", "effort", "values", strings.Join(catalog.Efforts, ", "))
	}
	if b := p.ThinkingBudget; b != nil && *b < 0 {
		add(f+".thinkingBudget", "not_negative")
	}
}

// ExportAssistants is the JSON file "Export" writes: the user's assistants
// and prompts, without the built-ins, readable by ImportAssistants.
func ExportAssistants(a Assistants) ([]byte, error) {
	return json.MarshalIndent(assistantsFile{Format: assistantsFormat, Presets: a.Presets, Prompts: a.Prompts}, "", "  ")
}

const assistantsFormat = "thinkcloud-assistants-1"

type assistantsFile struct {
	Format  string      `json:"format"`
	Presets []Assistant `json:"presets"`
	Prompts []Prompt    `json:"prompts"`
}

// ImportAssistants merges an exported file into cur: an entry whose id is
// already there replaces it, a new one is appended. Nothing changes unless
// the whole result is valid; the error names the first bad field.
func ImportAssistants(cur Assistants, data []byte) (Assistants, error) {
	var f assistantsFile
	if err := json.Unmarshal(data, &f); err != nil {
		return cur, fmt.Errorf("read assistants file: %w", err)
	}
	if f.Format != assistantsFormat {
		return cur, fmt.Errorf("read assistants file: not a ThinkCloud assistants export (format %q)", f.Format)
	}
	out := Assistants{Presets: slices.Clone(cur.Presets), Prompts: slices.Clone(cur.Prompts), Default: cur.Default}
	for _, p := range f.Presets {
		if i := slices.IndexFunc(out.Presets, func(q Assistant) bool { return q.ID == p.ID }); i >= 0 {
			out.Presets[i] = p
		} else {
			out.Presets = append(out.Presets, p)
		}
	}
	for _, p := range f.Prompts {
		if i := slices.IndexFunc(out.Prompts, func(q Prompt) bool { return q.ID == p.ID }); i >= 0 {
			out.Prompts[i] = p
		} else {
			out.Prompts = append(out.Prompts, p)
		}
	}
	if err := out.Validate(); err != nil {
		return cur, fmt.Errorf("import assistants: %w", err)
	}
	return out, nil
}

// Validate checks a on its own, with the field names Settings.Validate
// gives inside the file.
func (a Assistants) Validate() error {
	var errs []error
	validateAssistants(a, func(field, rule string, kv ...string) {
		errs = append(errs, newFieldError(field, rule, kv...))
	})
	return errors.Join(errs...)
}
