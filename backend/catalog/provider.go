package catalog

import "strings"

// Provider is one upstream service that speaks the OpenAI chat-completions
// dialect.
type Provider struct {
	// ID is the short lower-case name used in settings, env vars and
	// "provider/model" ids.
	ID string `json:"id"`
	// Name is what the window shows.
	Name string `json:"name"`
	// BaseURL is the default API root, ending in /v1 or the provider's
	// equivalent; "/chat/completions" and "/models" are appended to it.
	BaseURL string `json:"baseURL"`
	// Regions lists alternative base URLs for providers whose accounts are
	// per region (a China key gets 401 on the international host). Empty
	// when the provider has one platform.
	Regions []Region `json:"regions,omitempty"`
	// KeyEnv lists the environment variables that may hold the API key,
	// the first one preferred.
	KeyEnv []string `json:"keyEnv"`
	// Custom is true for providers the user added in settings.
	Custom bool `json:"custom,omitempty"`
	// Dialect is how this provider spells the controls the chat-completions
	// standard leaves open. The zero value is plain OpenAI chat completions.
	Dialect Dialect `json:"dialect,omitzero"`
	// Endpoints lists the APIs the provider serves besides chat
	// completions, by kind (EndpointResponses, EndpointEmbeddings,
	// EndpointCompletions), each as a path relative to BaseURL: appended
	// to it ("/embeddings"), or climbing out of it first
	// ("../beta/completions" from ".../v1"). A kind that is absent is not
	// served; nil serves none, which is what custom providers get.
	Endpoints map[string]string `json:"endpoints,omitempty"`
	// AnthropicBaseURL is the root of the provider's own
	// Anthropic-compatible API ("/v1/messages" is appended); "" when it
	// has none, and then /v1/messages is translated to chat completions.
	AnthropicBaseURL string `json:"anthropicBaseURL,omitempty"`
	// Balance is how to read the account's balance, where the provider
	// publishes it; nil when it does not.
	Balance *BalanceAPI `json:"balance,omitempty"`
}

// BalanceAPI describes a provider's balance endpoint (a GET with the key).
type BalanceAPI struct {
	// Path is relative to BaseURL, as in Endpoints ("../user/balance").
	Path string `json:"path"`
	// Format names the answer's shape: BalanceInfos (DeepSeek's
	// balance_infos list, one entry per currency, amounts as strings) or
	// BalanceAvailable (Kimi's data.available_balance, a number).
	Format string `json:"format"`
	// Currency is the currency of a format that does not name its own;
	// a Region's BalanceCurrency wins for that region's base URL.
	Currency string `json:"currency,omitempty"`
}

// Balance answer formats (BalanceAPI.Format).
const (
	BalanceInfos     = "balance_infos"
	BalanceAvailable = "available_balance"
)

// BalanceCurrency is the currency a balance read from baseURL is in, for
// formats that do not say.
func (p Provider) BalanceCurrency(baseURL string) string {
	for _, r := range p.Regions {
		if r.BalanceCurrency != "" && strings.TrimRight(r.BaseURL, "/") == strings.TrimRight(baseURL, "/") {
			return r.BalanceCurrency
		}
	}
	if p.Balance == nil {
		return ""
	}
	return p.Balance.Currency
}

// Kinds of API a provider may serve besides chat completions, as keys of
// Provider.Endpoints.
const (
	// EndpointResponses is the OpenAI Responses API, spoken natively:
	// requests pass through instead of being translated.
	EndpointResponses = "responses"
	// EndpointEmbeddings is the OpenAI embeddings API.
	EndpointEmbeddings = "embeddings"
	// EndpointCompletions is the legacy text completions API (DeepSeek's
	// fill-in-the-middle).
	EndpointCompletions = "completions"
)

// Region is one regional platform of a provider.
type Region struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	BaseURL string `json:"baseURL"`
	// AnthropicBaseURL is the region's Anthropic-compatible API root; ""
	// when the region has none.
	AnthropicBaseURL string `json:"anthropicBaseURL,omitempty"`
	// BalanceCurrency is the currency of this region's balance, when it
	// differs from the provider's (Kimi: CNY on .cn, USD on .ai).
	BalanceCurrency string `json:"balanceCurrency,omitempty"`
}

// BaseURLEnv is the variable that overrides the provider's base URL, in the
// same spirit as OPENAI_BASE_URL for the OpenAI SDKs.
func (p Provider) BaseURLEnv() string { return envPrefix(p.ID) + "_BASE_URL" }

// AnthropicBaseURLEnv is the variable that overrides the provider's
// Anthropic-compatible API root (tests point it at a fake).
func (p Provider) AnthropicBaseURLEnv() string { return envPrefix(p.ID) + "_ANTHROPIC_BASE_URL" }

// RegionAnthropicURL returns region id's Anthropic-compatible API root,
// or false when the provider has no such region or the region has none.
func (p Provider) RegionAnthropicURL(id string) (string, bool) {
	for _, r := range p.Regions {
		if r.ID == id {
			return r.AnthropicBaseURL, r.AnthropicBaseURL != ""
		}
	}
	return "", false
}

// RegionURL returns the base URL of region id, or false when the provider
// has no such region.
func (p Provider) RegionURL(id string) (string, bool) {
	for _, r := range p.Regions {
		if r.ID == id {
			return r.BaseURL, true
		}
	}
	return "", false
}
