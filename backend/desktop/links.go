package desktop

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// OpenLink opens an http(s) or mailto link from an answer in the user's
// browser or mail program. Wails' own BrowserOpenURL only logs a failure,
// so a link that did not open said nothing; here the window hears why.
func (s *ChatService) OpenLink(link string) error {
	return openLink(s.base, link, exec.CommandContext)
}

type commandFunc func(ctx context.Context, name string, args ...string) *exec.Cmd

func openLink(base context.Context, link string, command commandFunc) error {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
		return newProblem(ProblemLinkScheme, fmt.Errorf("only http, https and mailto links are opened, not %q", link), "link", link)
	}
	name, args := opener(u.String())
	ctx, cancel := context.WithTimeout(base, 10*time.Second)
	defer cancel()
	cmd := command(ctx, name, args...)
	cmd.Env = childEnv(os.Environ())
	out, err := cmd.CombinedOutput()
	if errors.Is(err, exec.ErrNotFound) {
		return newProblem(ProblemNoLinkOpener, fmt.Errorf("no program to open links with: %s is not installed", name), "program", name)
	}
	if ctx.Err() != nil {
		return nil // still running after 10 s: a browser that stayed in the foreground
	}
	if err != nil {
		msg := strings.TrimSpace(string(out))
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("%s could not open the link: %s", name, msg)
	}
	return nil
}

// opener is the platform's "open this URL" program.
func opener(link string) (string, []string) {
	switch runtime.GOOS {
	case "darwin":
		return "open", []string{link}
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler", link}
	}
	return "xdg-open", []string{link}
}
