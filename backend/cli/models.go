package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/core"
)

const modelsUsage = `Usage:
  thinkcloud models [--provider P] [--json]

Lists every model the catalog knows, merged with the live lists fetched
earlier (the window's or the endpoint's refresh): context window, most
output tokens, input, tools, reasoning and its efforts, price per million
tokens (input/output) and status. Retired models are listed with what
replaces them.
`

// Models runs `thinkcloud models`.
func Models(args []string, env Env) int {
	fs := flag.NewFlagSet("thinkcloud models", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, modelsUsage) }
	provider := fs.String("provider", "", "only this provider's models")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "thinkcloud models: unexpected %q\n\n%s", fs.Arg(0), modelsUsage)
		return 2
	}
	c, err := NewCore(Overrides{}, env, slog.New(slog.DiscardHandler))
	if err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	if _, ok := c.Provider(*provider); *provider != "" && !ok {
		fmt.Fprintf(env.Stderr, "thinkcloud: unknown provider %q; known: %s\n", *provider, providerIDs(c))
		return 2
	}
	if err := WriteModels(env.Stdout, c.Models(), *provider, *asJSON); err != nil {
		fmt.Fprintln(env.Stderr, "thinkcloud:", err)
		return 1
	}
	return 0
}

// listedModel is one model as `models --json` prints it: the catalog's
// entry with its status and whether its provider can be called.
type listedModel struct {
	catalog.Model
	ProviderName string `json:"providerName"`
	Status       string `json:"status"`
	Available    bool   `json:"available"`
}

// WriteModels prints ms (only provider's when provider is not "") as a
// table, or as a JSON array.
func WriteModels(w io.Writer, ms []core.Model, provider string, asJSON bool) error {
	var out []core.Model
	for _, m := range ms {
		if provider == "" || m.Provider == provider {
			out = append(out, m)
		}
	}
	if asJSON {
		list := make([]listedModel, 0, len(out))
		for _, m := range out {
			list = append(list, listedModel{Model: m.Model, ProviderName: m.ProviderName, Status: m.Status(), Available: m.Available})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPROVIDER\tCONTEXT\tMAX OUT\tINPUT\tTOOLS\tREASONING\tPRICE IN/OUT\tSTATUS")
	for _, m := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.Provider, tokens(m.ContextWindow), tokens(m.MaxOutput),
			input(m.Model), yesNo(m.Tools), reasoning(m.Model), price(m.Prices), status(m.Model))
	}
	return tw.Flush()
}

// tokens shortens a token count: 1048576 -> 1M, 262144 -> 256K,
// 128000 -> 128K, 1050000 -> 1.05M; 0 is unknown.
func tokens(n int) string {
	switch {
	case n <= 0:
		return "-"
	case n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + "M"
	case n >= 1_000_000:
		return strconv.FormatFloat(float64(n)/1e6, 'f', -1, 64) + "M"
	case n%1000 == 0:
		return strconv.Itoa(n/1000) + "K"
	case n%1024 == 0:
		return strconv.Itoa(n>>10) + "K"
	case n >= 1000:
		return strconv.Itoa(n/1000) + "K"
	}
	return strconv.Itoa(n)
}

func input(m catalog.Model) string {
	switch {
	case len(m.Input) > 0:
		return strings.Join(m.Input, "+")
	case m.Vision:
		return "text+image"
	}
	return "-"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "-"
}

// reasoning reads "always low/high/max", "optional budget<=65536",
// "yes" (reasons, controls unknown) or "-".
func reasoning(m catalog.Model) string {
	t := m.Think
	if t == nil {
		return yesNo(m.Reasoning)
	}
	if t.Mode == catalog.ReasoningNone {
		return "-"
	}
	s := t.Mode
	if len(t.Efforts) > 0 {
		s += " " + strings.Join(t.Efforts, "/")
	}
	if t.BudgetMax > 0 {
		s += " budget<=" + strconv.Itoa(t.BudgetMax)
	}
	return s
}

// price reads "0.3/1.2 USD" in the main currency, with the off-peak
// rate when there is one.
func price(ps []catalog.Price) string {
	if len(ps) == 0 {
		return "-"
	}
	p := ps[0]
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	s := f(p.Input) + "/" + f(p.Output) + " " + p.Currency
	if p.OffPeak != nil {
		s += " (off-peak " + f(p.OffPeak.Input) + "/" + f(p.OffPeak.Output) + ")"
	}
	return s
}

// status reads "live", "deprecated until 2027-01-14", "unavailable" or
// "retired 2026-10-23, use gpt-6.1-sol".
func status(m catalog.Model) string {
	s := m.Status()
	switch s {
	case catalog.StatusDeprecated:
		s += " until " + m.Shutdown
	case catalog.StatusRetired:
		if m.Shutdown != "" {
			s += " " + m.Shutdown
		}
		if len(m.Successors) > 0 {
			s += ", use " + strings.Join(m.Successors, " or ")
		}
	}
	return s
}
