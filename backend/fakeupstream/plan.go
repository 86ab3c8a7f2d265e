package fakeupstream

import (
	"encoding/json"
	"strings"
)

// Scripted conversations let a test drive a whole agent loop: the fake
// calls a tool until the conversation holds a tool result, then answers
// in words. The trigger is in any user text of the conversation.
//
//	trigger:toolloop     call the request's first tool with {"city":"Paris"},
//	                     then answer "The tool said: <result>"
//	trigger:write=PATH   call Claude Code's Write tool to put a line in
//	                     PATH, then answer "Wrote PATH."; a request without
//	                     a Write tool (Claude Code's side requests) gets
//	                     text at once
//
// A reasoning model thinks aloud before each step, so the loop also
// proves that the reasoning came back (see checkReasoning).
type plan struct {
	reasoning string
	text      string
	call      *toolCall
}

// toolCall is one call the fake makes.
type toolCall struct {
	ID, Name, Args string
}

// WrittenContent is what trigger:write puts in the file.
const WrittenContent = "written by the scripted fake provider\n"

// conversation is what the script reads from either dialect.
type conversation struct {
	userText   string   // every user text, joined
	tools      []string // tool names offered
	toolResult *string  // the last tool result, when there is one
	reasons    bool
}

// scripted returns the plan for c, or false when no script trigger is in
// the conversation.
func scripted(c conversation) (plan, bool) {
	var p plan
	switch {
	case strings.Contains(c.userText, "trigger:toolloop"):
		switch {
		case c.toolResult != nil:
			p.text = "The tool said: " + *c.toolResult
		case len(c.tools) > 0:
			p.call = &toolCall{ID: "call_loop1", Name: c.tools[0], Args: `{"city":"Paris"}`}
		default:
			p.text = "No tool to call."
		}
	case strings.Contains(c.userText, "trigger:write="):
		path := c.userText[strings.Index(c.userText, "trigger:write=")+len("trigger:write="):]
		if i := strings.IndexAny(path, " \n\t\"'"); i >= 0 {
			path = path[:i]
		}
		switch {
		case c.toolResult != nil:
			p.text = "Wrote " + path + "."
		case contains(c.tools, "Write"):
			args, _ := json.Marshal(map[string]string{"file_path": path, "content": WrittenContent})
			p.call = &toolCall{ID: "call_write1", Name: "Write", Args: string(args)}
		default:
			p.text = "Scripted fake: no Write tool in this request."
		}
	default:
		return plan{}, false
	}
	if c.reasons {
		p.reasoning = "I will call the tool first."
		if p.call == nil {
			p.reasoning = "The tool answered; now I can reply."
		}
	}
	return p, true
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
