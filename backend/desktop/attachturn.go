package desktop

import (
	"fmt"
	"strings"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/history"
)

// withFiles is a user message's text as the model reads it: each attached
// file as a fenced block headed by its name, then the text, so the
// question comes after what it is about.
func withFiles(text string, files []history.Attachment) string {
	if len(files) == 0 {
		return text
	}
	parts := make([]string, 0, len(files)+1)
	for _, f := range files {
		parts = append(parts, history.FencedFile(f))
	}
	if strings.TrimSpace(text) != "" {
		parts = append(parts, text)
	}
	return strings.Join(parts, "\n\n")
}

// sentText is the text of m as sent (with its files), for the token
// estimates that choose how much context fits.
func sentText(m history.Message) string {
	if len(m.Images) == 0 {
		return m.Content
	}
	_, files := history.SplitImages(m.Images)
	return withFiles(m.Content, files)
}

// canRead refuses, before anything is saved or sent, a new user message
// with images for a model that cannot read them (the catalog's Input has
// no "image"): a clear message instead of the provider's error. A retired
// model is left to the gateway, whose error names its successors.
func canRead(m catalog.Model, user *history.Message) error {
	if user == nil || m.Vision || m.Retired {
		return nil
	}
	if images, _ := history.SplitImages(user.Images); len(images) > 0 {
		return fmt.Errorf("%s cannot read images: remove them or pick a model that can", m.ID)
	}
	return nil
}
