package responses

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"thinkcloud/backend/gateway"
)

// Tool is one entry of tools: a function, a free-form (custom) tool, a
// namespace of either (Codex's MCP servers and sub-agent tools), the
// client-run local_shell, or a tool only OpenAI runs.
type Tool struct {
	Type        string          `json:"type"`
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Parameters  json.RawMessage `json:"parameters"`
	Strict      *bool           `json:"strict"`
	// Format is a custom tool's input grammar.
	Format *struct {
		Type       string `json:"type"`
		Syntax     string `json:"syntax"`
		Definition string `json:"definition"`
	} `json:"format"`
	// Tools are a namespace's members.
	Tools []Tool `json:"tools"`
}

// Kinds of client-run tool, as a chat function's calls map back to them.
const (
	kindFunction = iota
	kindCustom
	kindLocalShell
)

// HostedTools are the tool types OpenAI runs on its own side. No provider
// behind the translation runs them: a request naming one is refused with
// a 400, unless the user's settings list it to be dropped.
func HostedTools() []string {
	return []string{"web_search", "web_search_preview", "file_search", "code_interpreter", "image_generation",
		"computer_use", "computer_use_preview", "mcp", "tool_search", "shell", "apply_patch"}
}

// DropAll in a drop list drops every hosted tool.
const DropAll = "*"

// toolRef is what a chat function stands for.
type toolRef struct {
	kind            int
	namespace, name string
}

// toolNames maps the chat functions of one request to the tools they
// stand for, both ways. Chat function names are flat, so a namespaced
// tool becomes "namespace__name" (kept within 64 characters).
type toolNames struct {
	byFlat map[string]toolRef
	flat   map[string]string // by namespace + "\x00" + name
}

func newToolNames() *toolNames {
	return &toolNames{byFlat: map[string]toolRef{}, flat: map[string]string{}}
}

func (r toolRef) key() string { return r.namespace + "\x00" + r.name }

// add registers ref and returns its chat name, unique within the request.
func (n *toolNames) add(ref toolRef) string {
	if name, ok := n.flat[ref.key()]; ok {
		return name
	}
	name := flatName(ref.namespace, ref.name)
	for i := 2; ; i++ {
		if _, taken := n.byFlat[name]; !taken {
			break
		}
		name = fitName(flatName(ref.namespace, ref.name) + fmt.Sprintf("_%d", i))
	}
	n.byFlat[name], n.flat[ref.key()] = ref, name
	return name
}

// chatName is the chat name of a tool that history mentions; a tool the
// request no longer offers gets its plain flat name.
func (n *toolNames) chatName(ref toolRef) string {
	if name, ok := n.flat[ref.key()]; ok {
		return name
	}
	return flatName(ref.namespace, ref.name)
}

// lookup maps a chat function name from the provider back to its tool; a
// name the request never offered (a model inventing one) stays a function.
func (n *toolNames) lookup(chat string) toolRef {
	if ref, ok := n.byFlat[chat]; ok {
		return ref
	}
	return toolRef{kind: kindFunction, name: chat}
}

func flatName(namespace, name string) string {
	if namespace == "" {
		return name
	}
	sep := "__"
	if strings.HasSuffix(namespace, "_") {
		sep = ""
	}
	return fitName(namespace + sep + name)
}

// fitName keeps a name within what chat completions allows: letters,
// digits, '_' and '-', at most 64 characters (a hash keeps long ones
// apart).
func fitName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	if len(b) <= 64 {
		return string(b)
	}
	sum := sha256.Sum256([]byte(s))
	return string(b[:55]) + "_" + hex.EncodeToString(sum[:4])
}

// chatTools turns tools into chat functions. Hosted tools are refused, or
// dropped when drop lists them.
func chatTools(tools []Tool, names *toolNames, drop []string) ([]any, *gateway.Error) {
	var out []any
	for i, t := range tools {
		param := fmt.Sprintf("tools[%d]", i)
		switch t.Type {
		case "function", "custom":
			out = append(out, chatFunction(t, "", names))
		case "namespace":
			for j, m := range t.Tools {
				if m.Type != "function" && m.Type != "custom" {
					return nil, gateway.InvalidParam(fmt.Sprintf("%s.tools[%d]", param, j), fmt.Sprintf("%s.tools[%d]: a namespace holds function and custom tools; got %q", param, j, m.Type))
				}
				if t.Description != "" {
					m.Description += "\n\n(" + t.Name + ": " + t.Description + ")"
				}
				out = append(out, chatFunction(m, t.Name, names))
			}
		case "local_shell":
			out = append(out, function(names.add(toolRef{kind: kindLocalShell, name: "local_shell"}),
				"Runs a command on the user's machine and returns its output.", json.RawMessage(localShellSchema), nil))
		default:
			if dropped(t.Type, drop) {
				continue
			}
			return nil, hostedToolError(param, t.Type)
		}
	}
	return out, nil
}

func chatFunction(t Tool, namespace string, names *toolNames) any {
	if t.Type == "custom" {
		desc := t.Description + "\n\nCall it with its whole input as the string argument \"input\"."
		if t.Format != nil && t.Format.Type == "grammar" {
			desc += " The input follows this " + t.Format.Syntax + " grammar:\n" + t.Format.Definition
		}
		return function(names.add(toolRef{kind: kindCustom, namespace: namespace, name: t.Name}), desc, json.RawMessage(customSchema), nil)
	}
	params := t.Parameters
	if isNull(params) {
		params = json.RawMessage(`{"type":"object","properties":{}}`)
	}
	var strict *bool
	if t.Strict != nil && *t.Strict {
		strict = t.Strict // false is the default: not sent, some providers refuse the field
	}
	return function(names.add(toolRef{kind: kindFunction, namespace: namespace, name: t.Name}), t.Description, params, strict)
}

func function(name, desc string, params json.RawMessage, strict *bool) any {
	f := map[string]any{"name": name, "parameters": params}
	if desc != "" {
		f["description"] = desc
	}
	if strict != nil {
		f["strict"] = *strict
	}
	return map[string]any{"type": "function", "function": f}
}

const (
	customSchema     = `{"type":"object","properties":{"input":{"type":"string","description":"The tool's whole input, as its description says."}},"required":["input"],"additionalProperties":false}`
	localShellSchema = `{"type":"object","properties":{"command":{"type":"array","items":{"type":"string"},"description":"The program and its arguments."},"workdir":{"type":"string"},"timeout_ms":{"type":"integer"}},"required":["command"]}`
)

func dropped(typ string, drop []string) bool {
	return slices.Contains(drop, DropAll) || slices.Contains(drop, typ)
}

func hostedToolError(param, typ string) *gateway.Error {
	msg := fmt.Sprintf("%s: %q is a tool that OpenAI runs on its own servers, and the provider of this model cannot run it. "+
		"Leave it out of the request, or add %q to endpoint.dropHostedTools in ThinkCloud's settings.json to have it dropped", param, typ, typ)
	if strings.HasPrefix(typ, "web_search") {
		msg += ` (Codex: set web_search = "disabled" in its config.toml)`
	}
	return &gateway.Error{Status: 400, Type: "invalid_request_error", Param: param, Code: "unsupported_tool", Message: msg}
}
