package anthropic

import (
	"encoding/base64"
	"image"
	_ "image/gif" // image.DecodeConfig learns each format it is to size
	_ "image/jpeg"
	_ "image/png"
	"strings"
	"unicode/utf8"
)

// CountTokens estimates the input tokens of req the way Anthropic counts
// them, without a tokenizer: text at about 4 ASCII characters a token and
// one token for each other character (CJK text is about that dense),
// tools with their names, descriptions and schemas, tool calls and
// results, thinking sent back, a few tokens of framing per message and
// tool, and images by Anthropic's rule of width×height/750 (at most
// about 1,600: larger images are scaled down), or 1,600 when the size
// cannot be read (a URL). It is an estimate, close enough for a client
// deciding when to compact a conversation, never a constant.
func CountTokens(req *Request) int {
	n := 0
	if !isAbsent(req.System) {
		if blocks, err := decodeContent(req.System); err == nil {
			n += blocksTokens(blocks) + 3
		}
	}
	for _, m := range req.Messages {
		n += 4 // role and turn framing
		if blocks, err := decodeContent(m.Content); err == nil {
			n += blocksTokens(blocks)
		}
	}
	if len(req.Tools) > 0 {
		n += 150 // the preamble that explains tool use to the model
	}
	for _, t := range req.Tools {
		n += 8 + textTokens(t.Name) + textTokens(t.Description) + textTokens(string(t.InputSchema))
	}
	return max(n, 1)
}

func blocksTokens(blocks []block) int {
	n := 0
	for _, b := range blocks {
		switch b.Type {
		case "text":
			n += textTokens(b.Text)
		case "image":
			n += imageTokens(b.Source)
		case "tool_use":
			n += 8 + textTokens(b.Name) + textTokens(string(b.Input))
		case "tool_result":
			n += 8
			if inner, err := decodeContent(b.Content); err == nil && !isAbsent(b.Content) {
				n += blocksTokens(inner)
			}
		case "thinking":
			n += textTokens(b.Thinking)
		default:
			// Blocks a translation refuses (documents, server tool
			// results) still take room where they pass through.
			n += textTokens(b.Text) + textTokens(string(b.Content))
		}
	}
	return n
}

// textTokens estimates the tokens of s.
func textTokens(s string) int {
	ascii, other := 0, 0
	for _, r := range s {
		if r < utf8.RuneSelf {
			ascii++
		} else {
			other++
		}
	}
	return (ascii+3)/4 + other
}

// maxImageTokens is what Anthropic charges at most for an image: it scales
// larger ones down to about 1.15 megapixels.
const maxImageTokens = 1600

func imageTokens(s *source) int {
	if s == nil || s.Type != "base64" {
		return maxImageTokens
	}
	// The header is enough for the size: decode only the start.
	head := s.Data[:min(len(s.Data), 64<<10)]
	head = head[:len(head)/4*4]
	r := base64.NewDecoder(base64.StdEncoding, strings.NewReader(head))
	cfg, _, err := image.DecodeConfig(r)
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return maxImageTokens
	}
	return min(max(cfg.Width*cfg.Height/750, 1), maxImageTokens)
}
