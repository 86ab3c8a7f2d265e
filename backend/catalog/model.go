package catalog

// Model is one model a provider serves, under the name users type.
type Model struct {
	// ID is the public name ("qwen-3-7b").
	ID string `json:"id"`
	// Provider is the Provider.ID that serves it.
	Provider string `json:"provider"`
	// Upstream is the id the provider expects ("qwen3-8b"); equal to ID
	// for most models.
	Upstream string `json:"upstream"`
	// ContextWindow is in tokens; 0 when unknown.
	ContextWindow int `json:"contextWindow,omitempty"`
	// Reasoning marks models that emit thinking text. Where it arrives
	// (reasoning_content, reasoning or <think> in the content) is read
	// from every chunk, so it needs no entry here.
	Reasoning bool `json:"reasoning,omitempty"`
	// ThinkingToggle marks models whose thinking the user may switch on
	// and off (with the provider's Dialect.Thinking).
	ThinkingToggle bool `json:"thinkingToggle,omitempty"`
	// Vision marks models that accept image parts. Built-in entries
	// derive it from Input.
	Vision bool `json:"vision,omitempty"`
	// Input lists what a prompt may hold ("text", "image", "video");
	// empty when unknown.
	Input []string `json:"input,omitempty"`
	// Tools marks models that accept tool definitions.
	Tools bool `json:"tools,omitempty"`
	// Defaults are parameters the desktop chat starts from for this model
	// (a custom model that wants temperature 1.0). The endpoint never adds
	// them to a client's request.
	Defaults map[string]float64 `json:"defaults,omitempty"`
	// Name is the display name ("DeepSeek V4.1 Flash"); "" shows the id.
	Name string `json:"name,omitempty"`
	// MaxOutput is the most tokens one answer may have; 0 when unknown.
	MaxOutput int `json:"maxOutput,omitempty"`
	// Think is how the model reasons and the controls it accepts; nil when
	// the catalog does not know (a bare live-list id).
	Think *Thinking `json:"think,omitempty"`
	// Fixed lists body parameters the model fixes: sending one is an error
	// or is ignored ("temperature", "top_p"), so the chat never sends them
	// and shows their control disabled.
	Fixed []string `json:"fixed,omitempty"`
	// Prices is what the model costs, one entry per currency the provider
	// bills in, main currency first; empty when unknown.
	Prices []Price `json:"prices,omitempty"`
	// Released, Deprecated and Shutdown are dates (YYYY-MM-DD); "" when
	// unknown or not announced. A model past its Shutdown is retired.
	Released   string `json:"released,omitempty"`
	Deprecated string `json:"deprecated,omitempty"`
	Shutdown   string `json:"shutdown,omitempty"`
	// Successors name the models to use instead, best first.
	Successors []string `json:"successors,omitempty"`
	// Source says where the entry came from: "builtin", "live" or "custom".
	Source string `json:"source"`
	// Retired is true when the provider has shut the model down: its
	// Shutdown date has come, or (in builtin.json) the provider retired it
	// on a date nobody published. Resolve answers a retired model with a
	// *RetiredError naming its Successors. A live list that still has the
	// model overrides the built-in data (see SetLive).
	Retired bool `json:"retired,omitempty"`
	// Unavailable is true when the provider's live list, once fetched,
	// lacks the model. It stays routable (the provider has the last
	// word) and is not retired: lists lag, and some accounts see fewer
	// models than others.
	Unavailable bool `json:"unavailable,omitempty"`
	// Live is what the provider's /models published about the model; nil
	// when its list was not fetched or does not have it.
	Live *Published `json:"live,omitempty"`
	// Note explains a surprising mapping.
	Note string `json:"note,omitempty"`
	// Chain is, for a user's alias (Source "alias"), the models it tries
	// in order; the entry's other fields are its first model's.
	Chain []string `json:"chain,omitempty"`

	listed bool // the provider's live list has it
}

// Sources of a Model entry.
const (
	SourceBuiltin = "builtin"
	SourceLive    = "live"
	SourceCustom  = "custom"
	SourceAlias   = "alias"
)
