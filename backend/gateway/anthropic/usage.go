package anthropic

import (
	"bytes"
	"encoding/json"
)

// EventUsage reads the token counts of an Anthropic-dialect answer: a
// whole message, or a message_start or message_delta event. input counts
// cached prompt tokens too. ok is false when data has no usage.
func EventUsage(data []byte) (input, output int, ok bool) {
	if !bytes.Contains(data, []byte(`"usage"`)) {
		return 0, 0, false
	}
	type usage struct {
		Input     int `json:"input_tokens"`
		Output    int `json:"output_tokens"`
		CacheRead int `json:"cache_read_input_tokens"`
		CacheMade int `json:"cache_creation_input_tokens"`
	}
	var v struct {
		Usage   *usage `json:"usage"`
		Message struct {
			Usage *usage `json:"usage"`
		} `json:"message"`
	}
	if json.Unmarshal(data, &v) != nil {
		return 0, 0, false
	}
	u := v.Usage
	if u == nil {
		u = v.Message.Usage
	}
	if u == nil {
		return 0, 0, false
	}
	return u.Input + u.CacheRead + u.CacheMade, u.Output, true
}
