// Command seedusage fills a request log (usage.db) with synthetic rows
// spread over the last days, for the Usage view's screenshots and for
// trying the dashboard on a realistic volume:
//
//	go run ./tests/window/seedusage -db "$XDG_DATA_HOME/thinkcloud/usage.db" -rows 100000 -days 90
//
// The rows are pseudo-random from a fixed seed: the same flags give the
// same log, relative to now.
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"thinkcloud/backend/catalog"
	"thinkcloud/backend/usage"
)

type model struct {
	provider, name string
	currency       string
	in, out        float64 // per million tokens
	latency        time.Duration
}

var models = []model{
	{"deepseek", "deepseek-flash", "CNY", 2, 3, 2 * time.Second},
	{"deepseek", "deepseek-v4-pro", "CNY", 4, 16, 9 * time.Second},
	{"kimi", "kimi-k3", "CNY", 4, 16, 5 * time.Second},
	{"openai", "gpt-6-luna", "USD", 1.25, 10, 4 * time.Second},
	{"openai", "gpt-5.6-luna", "USD", 3, 15, 6 * time.Second},
	{"cerebras", "gpt-oss-120b", "", 0, 0, 3 * time.Second},
}

var tools = []struct{ door, token, client string }{
	{usage.DoorWindow, usage.TokenWindow, ""},
	{usage.DoorChat, "cursor", "OpenAI/JS"},
	{usage.DoorMessages, "claude-code", "Anthropic/JS"},
	{usage.DoorResponses, "codex", "OpenAI/Python"},
	{usage.DoorChat, usage.TokenAnonymous, "curl"},
}

func main() {
	db := flag.String("db", "", "the usage.db to fill (created if missing)")
	rows := flag.Int("rows", 100000, "how many rows")
	days := flag.Int("days", 90, "spread over this many days before now")
	flag.Parse()
	if *db == "" || *rows <= 0 || *days <= 0 {
		fmt.Fprintln(os.Stderr, "usage: seedusage -db PATH [-rows N] [-days D]")
		os.Exit(2)
	}
	if err := seed(*db, *rows, *days); err != nil {
		fmt.Fprintln(os.Stderr, "seedusage:", err)
		os.Exit(1)
	}
}

func seed(path string, n, days int) error {
	l, err := usage.Open(path, usage.Options{Retention: time.Duration(days+1) * 24 * time.Hour})
	if err != nil {
		return err
	}
	ctx := context.Background()
	r := rand.New(rand.NewPCG(14, 90))
	now := time.Now().UTC()
	span := time.Duration(days) * 24 * time.Hour
	for i := range n {
		m := models[r.IntN(len(models))]
		tl := tools[r.IntN(len(tools))]
		// Oldest first, a little busier lately and on weekdays.
		at := now.Add(-span + time.Duration(float64(span)*float64(i)/float64(n)) + time.Duration(r.IntN(60))*time.Second)
		rec := usage.Record{At: at, Door: tl.door, Token: tl.token, Client: tl.client, Provider: m.provider,
			ModelAsked: m.name, Model: m.name, Status: 200}
		rec.Input = 200 + r.IntN(8000)
		rec.Output = 50 + r.IntN(2000)
		rec.Cached = r.IntN(rec.Input / 2)
		rec.TTFT = time.Duration(float64(m.latency) * (0.05 + 0.1*r.Float64()))
		rec.Latency = time.Duration(float64(m.latency) * (0.4 + 1.6*r.Float64()))
		switch x := r.IntN(100); {
		case x < 3:
			rec.Status, rec.ErrorKind, rec.Output = 429, "rate_limited", 0
		case x < 5:
			rec.Status, rec.ErrorKind, rec.Output = 502, "upstream_error", 0
		case x < 6:
			rec.Status, rec.ErrorKind, rec.Output = 499, "client_closed", 0
		}
		if rec.Status == 200 && m.currency != "" {
			cost := (float64(rec.Input)*m.in + float64(rec.Output)*m.out) / 1e6
			rec.Costs = []catalog.Cost{{Currency: m.currency, Amount: cost}}
		}
		l.Add(rec)
		if i%2000 == 1999 {
			if err := l.Flush(ctx); err != nil {
				return err
			}
		}
	}
	if err := l.Flush(ctx); err != nil {
		return err
	}
	if h := l.Health(); h.Dropped > 0 || h.Failed > 0 {
		return fmt.Errorf("%d rows dropped, %d failed", h.Dropped, h.Failed)
	}
	return l.Close()
}
