package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/core"
	"thinkcloud/backend/secrets"
)

const keysUsage = `Usage:
  thinkcloud keys set <provider>                  read a key from stdin and store it in the OS keyring
  thinkcloud keys add <provider> --label <L>      store one more key under a label (requests rotate over them)
  thinkcloud keys list                            show each key: provider, label, source, hint, state
  thinkcloud keys delete <provider> [--label <L>] remove a key (the default one without --label)
  thinkcloud keys test <provider>                 call the provider's /models with its key
`

// Keys runs `thinkcloud keys …`. Keys are read from stdin, never from the
// command line, where they would land in shell history and `ps`.
func Keys(args []string, env Env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(env.Stdout, keysUsage)
		return 0
	}
	c, err := NewCore(Overrides{}, env, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	return keysWith(c, args, env)
}

// keysWith runs a keys command against c (tests pass a core over an
// in-memory keyring).
func keysWith(c *core.Core, args []string, env Env) int {
	cmd, rest := args[0], args[1:]
	if cmd == "list" {
		return keysList(c, env)
	}
	rest, label, err := labelFlag(rest)
	if err != nil {
		fmt.Fprintf(env.Stderr, "thinkcloud keys %s: %v\n\n%s", cmd, err, keysUsage)
		return 2
	}
	if cmd == "add" && label == "" {
		fmt.Fprintf(env.Stderr, "thinkcloud keys add: name the key with --label (work, personal, …)\n\n%s", keysUsage)
		return 2
	}
	if len(rest) != 1 {
		fmt.Fprintf(env.Stderr, "thinkcloud keys %s: name one provider\n\n%s", cmd, keysUsage)
		return 2
	}
	p, ok := c.Provider(rest[0])
	if !ok {
		fmt.Fprintf(env.Stderr, "thinkcloud: unknown provider %q; known: %s\n", rest[0], providerIDs(c))
		return 2
	}
	switch cmd {
	case "set", "add":
		if label != "" && label != secrets.DefaultLabel {
			return keysAdd(c, p, label, env)
		}
		return keysSet(c, p, env)
	case "delete":
		if label != "" && label != secrets.DefaultLabel {
			if err := c.DeleteLabeledKey(p.ID, label); err != nil {
				fmt.Fprintln(env.Stderr, "thinkcloud:", err)
				return 1
			}
			fmt.Fprintf(env.Stdout, "Deleted the %s key %q from the keyring.\n", p.Name, label)
			return 0
		}
		if _, err := c.DeleteKey(p.ID); err != nil {
			fmt.Fprintln(env.Stderr, "thinkcloud:", err)
			return 1
		}
		fmt.Fprintf(env.Stdout, "Deleted the %s key from the keyring.\n", p.Name)
		return 0
	case "test":
		return keysTest(c, p, env)
	default:
		fmt.Fprintf(env.Stderr, "thinkcloud keys: unknown command %q\n\n%s", cmd, keysUsage)
		return 2
	}
}

func providerIDs(c *core.Core) string {
	var ids []string
	for _, p := range c.Providers() {
		ids = append(ids, p.ID)
	}
	return strings.Join(ids, ", ")
}

func keysSet(c *core.Core, p catalog.Provider, env Env) int {
	key, err := readSecret(env, fmt.Sprintf("%s API key: ", p.Name))
	if err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	// The command ends here: no model refresh behind it.
	info, err := c.SetKey(context.Background(), p.ID, key, nil)
	if err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	fmt.Fprintf(env.Stdout, "Saved the %s key in the OS keyring (%s).\n", p.Name, info.Hint)
	if info.Source != "keyring" {
		fmt.Fprintf(env.Stdout, "Note: %s is set in the %s and wins over the keyring.\n", info.EnvVar, info.Source)
	}
	return 0
}

// readSecret prompts without echo on a terminal, or reads one line from a
// pipe (`pass deepseek | thinkcloud keys set deepseek`).
func readSecret(env Env, prompt string) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", fmt.Errorf("read key: %w", err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read key from stdin: %w", err)
	}
	if strings.TrimSpace(line) == "" {
		return "", errors.New("no key on stdin; pipe it in or type it at the prompt")
	}
	return strings.TrimSpace(line), nil
}

// labelFlag takes "--label L" or "--label=L" out of args.
func labelFlag(args []string) (rest []string, label string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--label" || a == "-label":
			if i+1 >= len(args) {
				return nil, "", errors.New("--label needs a value")
			}
			label = args[i+1]
			i++
		case strings.HasPrefix(a, "--label="):
			label = strings.TrimPrefix(a, "--label=")
		default:
			rest = append(rest, a)
			continue
		}
		if err := secrets.CheckLabel(label); err != nil {
			return nil, "", err
		}
	}
	return rest, label, nil
}

func keysAdd(c *core.Core, p catalog.Provider, label string, env Env) int {
	key, err := readSecret(env, fmt.Sprintf("%s API key %q: ", p.Name, label))
	if err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	if err := c.AddKey(p.ID, label, key); err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	fmt.Fprintf(env.Stdout, "Saved the %s key %q in the OS keyring (%s). Requests rotate over %s's keys.\n", p.Name, label, secrets.Mask(key), p.Name)
	if _, info := c.Key(p.ID); info.Source != secrets.SourceKeyring && info.Source != secrets.SourceNone {
		fmt.Fprintf(env.Stdout, "Note: %s is set in the %s and wins over the keyring.\n", info.EnvVar, info.Source)
	}
	return 0
}

// keysList prints one line per key (a provider with none gets one line
// saying so). STATE is what this process saw; a fresh command has seen
// no answers, so it shows "ok" unless the keyring could not be read.
func keysList(c *core.Core, env Env) int {
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROVIDER\tLABEL\tSOURCE\tKEY\tSTATE\tBALANCE\tNOTE")
	providers := c.Providers()
	balances := fetchBalances(c, providers)
	for _, p := range providers {
		info := p.Key
		if len(p.Keys) == 0 {
			fmt.Fprintf(tw, "%s\t-\tnone\t-\t-\t%s\t%s\n", p.ID, balances[p.ID], info.Error)
			continue
		}
		for _, k := range p.Keys {
			src, label := k.Source, k.Label
			switch k.Source {
			case string(secrets.SourceEnvironment):
				src, label = "environment ("+info.EnvVar+")", "-"
			case string(secrets.SourceDotEnv):
				src, label = ".env ("+info.EnvVar+")", "-"
			}
			state := k.State
			if k.State == "resting" {
				state += " until " + k.Until.Local().Format("15:04")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, label, src, k.Hint, state, balances[p.ID], info.Error)
		}
	}
	tw.Flush()
	return 0
}

func keysTest(c *core.Core, p catalog.Provider, env Env) int {
	kt := c.TestKey(context.Background(), p.ID)
	took := kt.Took.Round(time.Millisecond)
	if kt.Err != nil {
		fmt.Fprintf(env.Stderr, "%s: FAILED after %s: %v\n", p.Name, took, kt.Err)
		return 1
	}
	fmt.Fprintf(env.Stdout, "%s: OK in %s, %d models\n", p.Name, took, kt.Models)
	return 0
}

// fetchBalances asks every keyed provider that publishes a balance, all
// at once and for at most 5 seconds, and returns what to print for each:
// "110.00 CNY", "unavailable" (the request failed), or "-" (no key, or
// no balance endpoint).
func fetchBalances(c *core.Core, providers []core.ProviderState) map[string]string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out := map[string]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range providers {
		out[p.ID] = "-" // before any goroutine writes to out
	}
	for _, p := range providers {
		if !p.Key.HasKey || !c.HasBalance(p.ID) {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			text := "unavailable"
			if bs, err := c.Balance(ctx, p.ID); err == nil {
				var parts []string
				for _, b := range bs {
					parts = append(parts, strconv.FormatFloat(b.Amount, 'f', 2, 64)+" "+b.Currency)
				}
				text = strings.Join(parts, ", ")
			}
			mu.Lock()
			out[p.ID] = text
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}
