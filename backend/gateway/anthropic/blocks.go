package anthropic

import (
	"bytes"
	"encoding/json"
	"errors"
)

// block is any content block; which fields mean something depends on
// Type.
type block struct {
	Type string `json:"type"`
	// text
	Text string `json:"text"`
	// image
	Source *source `json:"source"`
	// tool_use
	ID    string          `json:"id"`
	Name  string          `json:"name"`
	Input json.RawMessage `json:"input"`
	// tool_result
	ToolUseID string          `json:"tool_use_id"`
	Content   json.RawMessage `json:"content"`
	IsError   bool            `json:"is_error"`
	// thinking
	Thinking  string `json:"thinking"`
	Signature string `json:"signature"`
}

// source is where an image's bytes are: inline base64 or a URL.
type source struct {
	Type      string `json:"type"`
	MediaType string `json:"media_type"`
	Data      string `json:"data"`
	URL       string `json:"url"`
}

// decodeContent reads a content value: a string is one text block.
func decodeContent(raw json.RawMessage) ([]block, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return []block{{Type: "text", Text: s}}, nil
	}
	var blocks []block
	if err := json.Unmarshal(raw, &blocks); err != nil || raw[0] != '[' {
		return nil, errors.New("content must be a string or an array of content blocks")
	}
	return blocks, nil
}

// imageURL is an image block's source as a chat-completions image URL
// (inline images become data URLs).
func (s *source) imageURL() (string, error) {
	if s == nil {
		return "", errors.New("image block has no source")
	}
	switch s.Type {
	case "base64":
		if s.MediaType == "" || s.Data == "" {
			return "", errors.New("base64 image source needs media_type and data")
		}
		return "data:" + s.MediaType + ";base64," + s.Data, nil
	case "url":
		if s.URL == "" {
			return "", errors.New("url image source needs a url")
		}
		return s.URL, nil
	}
	return "", errors.New("image source type " + quote(s.Type) + " is not supported; use base64 or url")
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
