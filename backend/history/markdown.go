package history

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ExportMarkdown renders the conversation for reading or sharing: a title,
// the model, then one section per message headed by its role, with any
// reasoning folded into a <details> block so it does not drown the answer.
func (s *Store) ExportMarkdown(ctx context.Context, id string) (string, error) {
	c, msgs, err := s.load(ctx, id)
	if err != nil {
		return "", wrap("export conversation", err)
	}
	var sb strings.Builder
	writeMarkdownHeader(&sb, c)
	for _, m := range msgs {
		writeMarkdownMessage(&sb, m)
	}
	return sb.String(), nil
}

func writeMarkdownHeader(sb *strings.Builder, c Conversation) {
	title := strings.Join(strings.Fields(c.Title), " ")
	if title == "" {
		title = "Untitled conversation"
	}
	fmt.Fprintf(sb, "# %s\n\n", title)
	if c.Model != "" {
		fmt.Fprintf(sb, "- Model: `%s`", c.Model)
		if c.Provider != "" {
			fmt.Fprintf(sb, " (%s)", c.Provider)
		}
		sb.WriteString("\n")
	}
	fmt.Fprintf(sb, "- Created: %s\n\n", c.CreatedAt.Format(time.DateTime+" MST"))
	if c.SystemPrompt != "" {
		fmt.Fprintf(sb, "## System prompt\n\n%s\n\n", strings.TrimSpace(c.SystemPrompt))
	}
}

var roleHeadings = map[Role]string{
	RoleSystem:    "System",
	RoleUser:      "User",
	RoleAssistant: "Assistant",
}

func writeMarkdownMessage(sb *strings.Builder, m Message) {
	fmt.Fprintf(sb, "## %s", roleHeadings[m.Role])
	if m.Role == RoleAssistant && m.Model != "" {
		fmt.Fprintf(sb, " (`%s`)", m.Model)
	}
	sb.WriteString("\n\n")
	if m.Reasoning != "" {
		fmt.Fprintf(sb, "<details>\n<summary>Reasoning</summary>\n\n%s\n\n</details>\n\n",
			strings.TrimSpace(m.Reasoning))
	}
	if m.Content != "" {
		fmt.Fprintf(sb, "%s\n\n", strings.TrimSpace(m.Content))
	}
	images, files := SplitImages(m.Images)
	for i, img := range images {
		fmt.Fprintf(sb, "![image %d](<%s>)\n\n", i+1, img)
	}
	for _, f := range files {
		fmt.Fprintf(sb, "%s\n\n", FencedFile(f))
	}
	if m.Status != StatusComplete {
		fmt.Fprintf(sb, "*Status: %s*", m.Status)
		if m.Error != "" {
			fmt.Fprintf(sb, " — %s", m.Error)
		}
		sb.WriteString("\n\n")
	}
}
