package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"thinkcloud/backend/core"
	"thinkcloud/backend/usage"
)

const tokensUsage = `Usage:
  thinkcloud tokens create NAME [--models a,b] [--budget 5USD/month] [--rpm 60]
  thinkcloud tokens list
  thinkcloud tokens rename OLD NEW
  thinkcloud tokens limit NAME [--models a,b] [--budget 5USD/month] [--rpm 60]
  thinkcloud tokens revoke NAME
The secret of a new token is printed once; ThinkCloud keeps only its hash.
`

// Tokens runs `thinkcloud tokens …`.
func Tokens(args []string, env Env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(env.Stdout, tokensUsage)
		return 0
	}
	c, err := NewCore(Overrides{}, env, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	defer c.Close(context.Background())
	cmd, rest := args[0], args[1:]
	fail := func(err error) int {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	switch {
	case cmd == "list" && len(rest) == 0:
		return tokensList(c, env)
	case cmd == "create" || cmd == "limit":
		fs := flag.NewFlagSet("tokens "+cmd, flag.ContinueOnError)
		fs.SetOutput(env.Stderr)
		models := fs.String("models", "", "comma-separated providers or models the token may use")
		budget := fs.String("budget", "", "spend cap, like 5USD/month or 20CNY/day")
		rpm := fs.Int("rpm", 0, "requests per minute")
		name, flags := firstArg(rest)
		if err := fs.Parse(flags); err != nil || name == "" || fs.NArg() > 0 {
			fmt.Fprint(env.Stderr, tokensUsage)
			return 2
		}
		lim := core.TokenLimits{RPM: *rpm, Budget: *budget}
		if *models != "" {
			lim.Models = strings.Split(*models, ",")
		}
		if cmd == "limit" {
			if err := c.SetTokenLimits(name, lim); err != nil {
				return fail(err)
			}
			fmt.Fprintf(env.Stdout, "Limits of %s updated.\n", name)
			return 0
		}
		secret, t, err := c.CreateToken(name, lim)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(env.Stdout, "Token %s created. Its secret, shown only this once:\n\n  %s\n\nUse it as the API key (Authorization: Bearer, or x-api-key).\n", t.Name, secret)
		return 0
	case cmd == "rename" && len(rest) == 2:
		if err := c.RenameToken(rest[0], rest[1]); err != nil {
			return fail(err)
		}
		fmt.Fprintf(env.Stdout, "Token %s is now %s.\n", rest[0], rest[1])
		return 0
	case cmd == "revoke" && len(rest) == 1:
		if err := c.RevokeToken(rest[0]); err != nil {
			return fail(err)
		}
		fmt.Fprintf(env.Stdout, "Token %s revoked.\n", rest[0])
		return 0
	}
	fmt.Fprint(env.Stderr, tokensUsage)
	return 2
}

// firstArg splits NAME from the flags, whichever comes first.
func firstArg(args []string) (string, []string) {
	for i, a := range args {
		if !strings.HasPrefix(a, "-") && (i == 0 || !strings.HasPrefix(args[i-1], "-") || strings.Contains(args[i-1], "=")) {
			return a, append(append([]string(nil), args[:i]...), args[i+1:]...)
		}
	}
	return "", args
}

func tokensList(c *core.Core, env Env) int {
	ts, err := c.Tokens(context.Background())
	if err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	if len(ts) == 0 {
		fmt.Fprintln(env.Stdout, "No tokens. Create one with `thinkcloud tokens create NAME`.")
		return 0
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tHINT\tCREATED\tLAST USED\tREQUESTS\tTOKENS\tSPEND\tLIMITS")
	for _, t := range ts {
		last := "never"
		if !t.Stats.LastUsed.IsZero() {
			last = t.Stats.LastUsed.Local().Format("2006-01-02 15:04")
		}
		var spend []string
		for _, s := range t.Stats.Spend {
			spend = append(spend, strconv.FormatFloat(s.Amount, 'f', 4, 64)+" "+s.Currency)
		}
		var lim []string
		if len(t.Models) > 0 {
			lim = append(lim, "models="+strings.Join(t.Models, ","))
		}
		if t.RPM > 0 {
			lim = append(lim, "rpm="+strconv.Itoa(t.RPM))
		}
		if t.BudgetText != "" {
			lim = append(lim, fmt.Sprintf("budget=%s (spent %.4f)", t.BudgetText, t.SpentThisPeriod))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", t.Name, t.Hint, t.Created.Local().Format("2006-01-02"), last,
			t.Stats.Requests, t.Stats.Tokens, orDash(strings.Join(spend, ", ")), orDash(strings.Join(lim, " ")))
	}
	tw.Flush()
	return 0
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

const usageUsage = `Usage: thinkcloud usage [--since 30d] [--by model|provider|token|door] [--json]
Totals of the request log since a time (30d, 12h, or a date 2026-11-01), per group and currency.
`

// Usage runs `thinkcloud usage`.
func Usage(args []string, env Env) int {
	fs := flag.NewFlagSet("usage", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, usageUsage) }
	since := fs.String("since", "30d", "how far back")
	by := fs.String("by", "model", "model, provider, token or door")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return 2
	}
	from, err := parseSince(*since, time.Now())
	if err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 2
	}
	c, err := NewCore(Overrides{}, env, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	defer c.Close(context.Background())
	l := c.UsageLog()
	if l == nil {
		fmt.Fprintln(env.Stderr, "thinkcloud: no request log:", c.UsageStatus().Reason)
		return 1
	}
	totals, err := l.Totals(context.Background(), usage.Filter{Since: from}, *by)
	if err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 2
	}
	if *asJSON {
		b, _ := json.MarshalIndent(map[string]any{"since": from, "by": *by, "totals": orEmpty(totals)}, "", "  ")
		fmt.Fprintln(env.Stdout, string(b))
		return 0
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tREQUESTS\tERRORS\tINPUT\tOUTPUT\tREASONING\tCACHED\tCOST\t\n", strings.ToUpper(*by))
	for _, t := range totals {
		cost := "-"
		if t.Currency != "" {
			cost = strconv.FormatFloat(t.Cost, 'f', 4, 64) + " " + t.Currency
		}
		if t.Estimated > 0 {
			cost += " (est.)"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", orDash(t.Key), t.Requests, t.Errors, t.Input, t.Output, t.Reasoning, t.Cached, cost)
	}
	tw.Flush()
	if len(totals) == 0 {
		fmt.Fprintln(env.Stdout, "No requests since", from.Local().Format("2006-01-02 15:04"))
	}
	return 0
}

func orEmpty(t []usage.Total) []usage.Total {
	if t == nil {
		return []usage.Total{}
	}
	return t
}

// parseSince reads "30d", "12h", "90m" or a date.
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		return t, nil
	}
	if n, err := strconv.Atoi(strings.TrimSuffix(s, "d")); err == nil && strings.HasSuffix(s, "d") && n > 0 {
		return now.AddDate(0, 0, -n), nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("--since %q: write 30d, 12h or a date like 2026-11-01", s)
}
