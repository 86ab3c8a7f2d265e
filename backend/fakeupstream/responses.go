package fakeupstream

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
)

// responses answers POST /responses as OpenAI does, natively: text
// "Hello from openai (MODEL) via /responses.", streamed with event: lines
// and no [DONE], or whole. "trigger:500" in the input answers a 500 and
// "trigger:hang" waits for the client to leave.
func (f *Fake) responses(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Model  string          `json:"model"`
		Stream bool            `json:"stream"`
		Input  json.RawMessage `json:"input"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, 400, errBody("We could not parse the JSON body of your request.", "invalid_request_error", ""))
		return
	}
	switch {
	case strings.Contains(string(req.Input), "trigger:500"):
		writeJSON(w, 500, errBody("The server had an error while processing your request.", "server_error", ""))
		return
	case strings.Contains(string(req.Input), "trigger:hang"):
		<-r.Context().Done()
		f.cancelled.Add(1)
		return
	}
	text := fmt.Sprintf("Hello from openai (%s) via /responses.", req.Model)
	msg := map[string]any{"id": "msg_fake", "type": "message", "status": "completed", "role": "assistant",
		"content": []any{map[string]any{"type": "output_text", "text": text, "annotations": []any{}}}}
	resp := map[string]any{"id": "resp_fake", "object": "response", "created_at": 1700000000, "status": "completed",
		"model": req.Model, "output": []any{msg}, "error": nil, "incomplete_details": nil,
		"usage": map[string]any{"input_tokens": 9, "output_tokens": 7, "total_tokens": 16}}
	if !req.Stream {
		writeJSON(w, 200, resp)
		f.completed.Add(1)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(200)
	rc := http.NewResponseController(w)
	seq := 0
	send := func(typ string, fields map[string]any) {
		fields["type"], fields["sequence_number"] = typ, seq
		seq++
		b, _ := json.Marshal(fields)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", typ, b)
		rc.Flush()
	}
	started := map[string]any{}
	for k, v := range resp {
		started[k] = v
	}
	started["status"], started["output"], started["usage"] = "in_progress", []any{}, nil
	send("response.created", map[string]any{"response": started})
	send("response.output_item.added", map[string]any{"output_index": 0, "item": map[string]any{"id": "msg_fake", "type": "message", "status": "in_progress", "role": "assistant", "content": []any{}}})
	send("response.content_part.added", map[string]any{"output_index": 0, "item_id": "msg_fake", "content_index": 0, "part": map[string]any{"type": "output_text", "text": "", "annotations": []any{}}})
	for _, word := range splitWords(text) {
		send("response.output_text.delta", map[string]any{"output_index": 0, "item_id": "msg_fake", "content_index": 0, "delta": word})
	}
	send("response.output_text.done", map[string]any{"output_index": 0, "item_id": "msg_fake", "content_index": 0, "text": text})
	send("response.content_part.done", map[string]any{"output_index": 0, "item_id": "msg_fake", "content_index": 0, "part": msg["content"].([]any)[0]})
	send("response.output_item.done", map[string]any{"output_index": 0, "item": msg})
	send("response.completed", map[string]any{"response": resp})
	f.completed.Add(1)
}

// embeddings answers POST /embeddings: one small vector per input, the
// same for the same text.
func (f *Fake) embeddings(w http.ResponseWriter, body []byte) {
	var req struct {
		Model  string          `json:"model"`
		Input  json.RawMessage `json:"input"`
		Format string          `json:"encoding_format"`
	}
	json.Unmarshal(body, &req)
	var inputs []string
	if json.Unmarshal(req.Input, &inputs) != nil {
		var one string
		if json.Unmarshal(req.Input, &one) != nil {
			writeJSON(w, 400, errBody("'input' must be a string or an array of strings", "invalid_request_error", ""))
			return
		}
		inputs = []string{one}
	}
	data := []any{}
	tokens := 0
	for i, in := range inputs {
		vec := make([]float64, 8)
		for j := range vec {
			vec[j] = float64((len(in)*(j+1))%97) / 97
		}
		var emb any = vec
		if req.Format == "base64" { // what the Node SDK asks for by default
			raw := make([]byte, 0, 4*len(vec))
			for _, v := range vec {
				raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(float32(v)))
			}
			emb = base64.StdEncoding.EncodeToString(raw)
		}
		data = append(data, map[string]any{"object": "embedding", "index": i, "embedding": emb})
		tokens += len(strings.Fields(in))
	}
	writeJSON(w, 200, map[string]any{"object": "list", "data": data, "model": req.Model,
		"usage": map[string]any{"prompt_tokens": tokens, "total_tokens": tokens}})
	f.completed.Add(1)
}

// fim answers DeepSeek's POST /beta/completions (fill in the middle):
// text that joins prompt and suffix, streamed or whole.
func (f *Fake) fim(w http.ResponseWriter, r *http.Request, body []byte) {
	var req struct {
		Model  string `json:"model"`
		Prompt string `json:"prompt"`
		Suffix string `json:"suffix"`
		Stream bool   `json:"stream"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Prompt == "" {
		writeJSON(w, 422, errBody("Failed to deserialize the JSON body into the target type: missing field `prompt`", "invalid_request_error", ""))
		return
	}
	text := fmt.Sprintf("/* between %d and %d chars */", len(req.Prompt), len(req.Suffix))
	usage := map[string]any{"prompt_tokens": 5, "completion_tokens": 6, "total_tokens": 11}
	chunk := func(text string, finish any, usage any) map[string]any {
		return map[string]any{"id": "cmpl-fake", "object": "text_completion", "created": 1700000000, "model": req.Model,
			"choices": []any{map[string]any{"index": 0, "text": text, "logprobs": nil, "finish_reason": finish}}, "usage": usage}
	}
	if !req.Stream {
		writeJSON(w, 200, chunk(text, "stop", usage))
		f.completed.Add(1)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(200)
	rc := http.NewResponseController(w)
	for _, c := range []map[string]any{chunk(text[:10], nil, nil), chunk(text[10:], nil, nil), chunk("", "stop", usage)} {
		b, _ := json.Marshal(c)
		fmt.Fprintf(w, "data: %s\n\n", b)
		rc.Flush()
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
	f.completed.Add(1)
}
