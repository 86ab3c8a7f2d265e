package fakeupstream

import (
	"net/http"
	"strings"
	"time"
)

// trigger handles the trigger words of the last user message. It returns
// true when it wrote the whole answer.
//
//	trigger:402          DeepSeek-style insufficient balance
//	trigger:quota        429 that means "out of money" (never retried)
//	trigger:429[xN]      429 with retry-after-ms (N times, then success)
//	trigger:500[xN]      500 (N times, then success); trigger:503 always
//	trigger:hang         no answer until the client leaves
//	trigger:slow         40 chunks, 50ms apart
//	trigger:endless      chunks 50ms apart until the client leaves (at most
//	                     10 min): a stream a test can stop whenever it gets
//	                     to it, however slow the machine
//	trigger:cut          the stream breaks after 2 chunks, no [DONE]
//	trigger:idle         one chunk, then silence
//	trigger:miderror     an error event after the first chunk
//	trigger:crlf         CRLF line ends and "data:" without a space
//	trigger:long         one 200 KB chunk
//	trigger:tools        a streamed tool call
//	trigger:think        <think>…</think> inside content (Qwen3 raw)
//	trigger:tokens=N     N one-word chunks (benchmarks)
//	trigger:tokens=N@R   N chunks at R per second on a fixed schedule, laid
//	                     out as a long markdown answer of numbered words
//	                     w1 … wN (see longAnswer); trigger:flat makes it
//	                     one paragraph, trigger:code one code block;
//	                     trigger:reason=M sends M reasoning chunks
//	                     r1 … rM first, at the same rate
//	trigger:echo TEXT    answers TEXT (the rest of the message after the
//	                     trigger word and one space), verbatim, a word per
//	                     chunk: a test scripts the exact markdown it wants
//	                     rendered (math, task lists, hostile input)
func (f *Fake) trigger(w http.ResponseWriter, r *http.Request, c chatReq) bool {
	text := c.lastUser()
	if !strings.Contains(text, "trigger:") {
		return false
	}
	switch {
	case strings.Contains(text, "trigger:402"):
		writeJSON(w, 402, errBody("Insufficient Balance", "unknown_error", "invalid_request_error"))
		return true
	case strings.Contains(text, "trigger:quota"):
		if f.Kind == Kimi {
			writeJSON(w, 429, errBody("Your account org-fake <ak-fake> is suspended, please check your plan and billing details", "exceeded_current_quota_error", ""))
		} else {
			writeJSON(w, 429, errBody("You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota"))
		}
		return true
	case strings.Contains(text, "trigger:hang"):
		<-r.Context().Done()
		f.cancelled.Add(1)
		return true
	}
	if n, ok := count(text, "429"); ok && (n == 0 || f.attempt("429") <= n) {
		retryHeaders(w)
		writeJSON(w, 429, errBody("Rate limit reached for requests", "requests", "rate_limit_exceeded"))
		return true
	}
	if n, ok := count(text, "500"); ok && (n == 0 || f.attempt("500") <= n) {
		writeJSON(w, 500, errBody("The server had an error while processing your request.", "server_error", ""))
		return true
	}
	if strings.Contains(text, "trigger:503") {
		writeJSON(w, 503, errBody("The engine is currently overloaded, please try again later", "server_error", ""))
		return true
	}
	if !c.Stream {
		return false
	}
	s := script{content: splitWords("Hello from " + f.Kind + " (" + c.Model + ").")}
	switch {
	case strings.Contains(text, "trigger:slow"):
		s.content, s.delay = repeat(" word", 40), 50*time.Millisecond
	case strings.Contains(text, "trigger:endless"):
		s.content, s.delay = repeat(" word", 12000), 50*time.Millisecond
	case strings.Contains(text, "trigger:cut"):
		s.cutAfter = 2
	case strings.Contains(text, "trigger:idle"):
		s.idleAfter = 1
	case strings.Contains(text, "trigger:miderror"):
		s.midError = true
	case strings.Contains(text, "trigger:crlf"):
		s.crlf = true
	case strings.Contains(text, "trigger:long"):
		s.content = []string{strings.Repeat("x", 200<<10)}
	case strings.Contains(text, "trigger:tools"):
		s.content, s.toolCalls = nil, true
	case strings.Contains(text, "trigger:think"):
		s.content = []string{"<thi", "nk>Pondering", " the question.</th", "ink>\n\nThe answer", " is 42."}
	case strings.Contains(text, "trigger:echo"):
		s.content = splitWords(echoed(text))
	case strings.Contains(text, "trigger:tokens="):
		n, rate := tokensTrigger(text)
		s.content = repeat(" tok", n)
		if rate > 0 {
			layout := Mixed
			switch {
			case strings.Contains(text, "trigger:flat"):
				layout = Flat
			case strings.Contains(text, "trigger:code"):
				layout = Code
			case strings.Contains(text, "trigger:math"):
				layout = Math
			}
			s.content, s.rate = longAnswer(n, layout), rate
			s.reasoning = numbered("r", intArg(text, "reason"))
		}
	default:
		return false
	}
	f.stream(w, r, c, s)
	return true
}

// echoed is what follows "trigger:echo" and one space or newline.
func echoed(text string) string {
	rest := text[strings.Index(text, "trigger:echo")+len("trigger:echo"):]
	if rest != "" && (rest[0] == ' ' || rest[0] == '\n') {
		rest = rest[1:]
	}
	return rest
}

func repeat(word string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = word
	}
	return out
}
