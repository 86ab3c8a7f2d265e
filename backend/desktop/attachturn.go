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

// checkImages applies canRead to the question a turn asks: the new user
// message, or for a regenerate the question of the answer being redone
// (asked again, perhaps of another model).
func (s *ChatService) checkImages(m catalog.Model, t history.TurnStart) error {
	user := t.User
	if user == nil && t.VersionOf != "" && !m.Vision && !m.Retired {
		user = s.questionOf(t.ConversationID, t.VersionOf)
	}
	return canRead(m, user)
}

// questionOf is the user message before answerID on the conversation's
// active path; nil when there is none or the history cannot say (the
// turn then fails, or not, as it would have).
func (s *ChatService) questionOf(conversationID, answerID string) *history.Message {
	hist, err := s.store()
	if err != nil {
		return nil
	}
	_, msgs, err := hist.GetConversation(s.base, conversationID)
	if err != nil {
		return nil
	}
	for i := 1; i < len(msgs); i++ {
		if msgs[i].ID == answerID && msgs[i-1].Role == history.RoleUser {
			return &msgs[i-1]
		}
	}
	return nil
}
