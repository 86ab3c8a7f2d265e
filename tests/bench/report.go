package main

import (
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// ---- report ----

func ms(d time.Duration) string { return fmt.Sprintf("%.3f", float64(d)/float64(time.Millisecond)) }
func us(d time.Duration) string { return fmt.Sprintf("%.0f", float64(d)/float64(time.Microsecond)) }
func mb(b int64) string         { return fmt.Sprintf("%.1f", float64(b)/(1<<20)) }
func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f×", a/b)
}

func report(w io.Writer, cells []cell, allModes []string, concs []int, idle map[string]int64, idleAfter int64, hold holdResult) {
	find := func(name string, mode string, c int) cell { return findCell(cells, name, mode, c) }
	var modes, doors []string
	for _, m := range allModes {
		if isDoor(m) {
			doors = append(doors, m)
		} else {
			modes = append(modes, m)
		}
	}
	defer reportDoors(w, cells, doors, concs)
	fmt.Fprintf(w, "\nThinkCloud endpoint benchmark — %s, %d CPUs, %d rounds × %v per cell, streams of %d content chunks\n\n",
		time.Now().Format("2006-01-02 15:04"), runtime.NumCPU(), *nRounds, *cellDur, *tokens)
	if len(modes) == 0 {
		return // only the doors were asked for
	}
	fmt.Fprintln(w, "CPU, syscalls and RSS are the proxy process's own (for direct: the fake provider's).")
	fmt.Fprintln(w, "×proxy compares serve with the bare reverse proxy; ×direct compares with calling the fake directly;")
	fmt.Fprintln(w, "+p50 is the latency a hop adds to direct.")
	fmt.Fprintln(w)
	rows := [][]string{{"mode", "c", "target", "req/s", "p50 ms", "p99 ms", "+p50 ms", "CPU µs/req", "syscalls/req", "peak RSS MB", "errors", "req/s ×proxy", "req/s ×direct", "CPU ×proxy", "+p50 ×proxy"}}
	for _, mode := range modes {
		for _, c := range concs {
			d, p := find("direct", mode, c), find("proxy", mode, c)
			for _, name := range []string{"direct", "proxy", "serve", "serve-nolog", "other"} {
				x := find(name, mode, c)
				if x.target == "" {
					continue // "other" only with -other, "serve-nolog" with -nolog
				}
				row := []string{mode, strconv.Itoa(c), name, fmt.Sprintf("%.0f", x.rps), ms(x.p50), ms(x.p99), "-",
					us(x.cpu), fmt.Sprintf("%.1f", x.sysr+x.sysw), mb(x.rss), strconv.Itoa(x.errs), "-", "-", "-", "-"}
				if name == "direct" {
					row[7], row[8], row[9] = row[7]+" (fake)", row[8]+" (fake)", row[9]+" (fake)"
				} else {
					row[6], row[12] = ms(x.p50-d.p50), ratio(x.rps, d.rps)
				}
				if name == "serve" || name == "other" || name == "serve-nolog" {
					row[11], row[13], row[14] = ratio(x.rps, p.rps), ratio(float64(x.cpu), float64(p.cpu)), ratio(float64(x.p50-d.p50), float64(p.p50-d.p50))
				}
				rows = append(rows, row)
			}
		}
	}
	table(w, rows, 3)
	for _, x := range cells {
		if x.firstEr != "" && !isDoor(x.mode) {
			fmt.Fprintf(w, "first error of %s %s c=%d: %s\n", x.target, x.mode, x.conc, x.firstEr)
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintf(w, "RSS idle (after start-up and the model-list refresh): serve %s MB, bare proxy %s MB, fake %s MB; serve after the run: %s MB\n",
		mb(idle["serve"]), mb(idle["proxy"]), mb(idle["fake"]), mb(idleAfter))
	if hold.n > 0 {
		fmt.Fprintf(w, "%d concurrent streams through serve (trigger:slow, 2 s each): %d errors, peak %d open at once, all done in %v, last first-chunk at %v, serve peak RSS %s MB\n",
			hold.n, hold.errs, hold.peak, hold.took.Round(time.Millisecond), hold.firstChunkP99.Round(time.Millisecond), mb(hold.rss))
	}

	// Targets.
	fmt.Fprintln(w, "\nTargets (serve against the bare reverse proxy):")
	worstRPS, worstCPU := 1e9, 0.0
	var worstRPSAt, worstCPUAt string
	for _, mode := range modes {
		for _, c := range concs {
			s, p := find("serve", mode, c), find("proxy", mode, c)
			at := fmt.Sprintf("%s c=%d", mode, c)
			if p.rps > 0 && s.rps/p.rps < worstRPS {
				worstRPS, worstRPSAt = s.rps/p.rps, at
			}
			if p.cpu > 0 && float64(s.cpu)/float64(p.cpu) > worstCPU {
				worstCPU, worstCPUAt = float64(s.cpu)/float64(p.cpu), at
			}
		}
	}
	fmt.Fprintf(w, "  throughput ≥ 0.9× proxy in every cell: worst %.2f× (%s) — %s\n", worstRPS, worstRPSAt, verdict(worstRPS >= 0.9))
	fmt.Fprintf(w, "  CPU per request ≤ 1.2× proxy in every cell: worst %.2f× (%s) — %s\n", worstCPU, worstCPUAt, verdict(worstCPU <= 1.2))
	for _, mode := range modes {
		d, p, s := find("direct", mode, 1), find("proxy", mode, 1), find("serve", mode, 1)
		if d.n == 0 {
			continue
		}
		addP, addS := p.p50-d.p50, s.p50-d.p50
		fmt.Fprintf(w, "  added p50 latency at c=1 (%s) ≤ 1.2× proxy's: serve +%s ms, proxy +%s ms (%s) — %s\n",
			mode, ms(addS), ms(addP), ratio(float64(addS), float64(addP)), verdict(addP > 0 && float64(addS) <= 1.2*float64(addP)))
	}
	if hold.n > 0 {
		fmt.Fprintf(w, "  %d concurrent streams with zero errors: %d errors, peak %d open — %s\n", hold.n, hold.errs, hold.peak, verdict(hold.errs == 0 && hold.peak == hold.n))
	}
	reportLog(w, find, modes, concs)
	fmt.Fprintf(w, "  serve RSS ≤ 30 MB idle: %s MB — %s\n", mb(idle["serve"]), verdict(idle["serve"] <= 30<<20))
	var rss64 int64
	for _, mode := range modes {
		rss64 = max(rss64, find("serve", mode, 64).rss)
	}
	if rss64 > 0 {
		fmt.Fprintf(w, "  serve RSS ≤ 60 MB at c=64: peak %s MB — %s\n", mb(rss64), verdict(rss64 <= 60<<20))
	}
}

func findCell(cells []cell, name string, mode string, c int) cell {
	for _, x := range cells {
		if x.target == name && x.mode == mode && x.conc == c {
			return x
		}
	}
	return cell{}
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

// reportDoors sets serve's translating doors against its own chat
// completions stream in the same rounds (issue 11: translation costs no
// more than 1.5× the CPU per request of passthrough).
func reportDoors(w io.Writer, cells []cell, doors []string, concs []int) {
	if len(doors) == 0 {
		return
	}
	fmt.Fprintln(w, "\nTranslating doors: serve's /v1/messages and /v1/responses (streaming, translated to the fake's")
	fmt.Fprintln(w, "chat completions) against serve's /v1/chat/completions streaming to the same model, in the same rounds.")
	fmt.Fprintln(w)
	rows := [][]string{{"door", "model", "c", "req/s", "chat req/s", "req/s ×chat", "p50 ms", "chat p50 ms", "CPU µs/req", "chat CPU µs/req", "CPU ×chat", "errors"}}
	worst, worstAt := 0.0, ""
	for _, door := range doors {
		model, name := modelName, "serve/messages"
		if door == modeResponses {
			model, name = responsesModel, "serve/responses"
		}
		for _, c := range concs {
			d, ch := findCell(cells, name, door, c), findCell(cells, "serve", door, c)
			rows = append(rows, []string{"/v1/" + door, model, strconv.Itoa(c), fmt.Sprintf("%.0f", d.rps), fmt.Sprintf("%.0f", ch.rps), ratio(d.rps, ch.rps),
				ms(d.p50), ms(ch.p50), us(d.cpu), us(ch.cpu), ratio(float64(d.cpu), float64(ch.cpu)), strconv.Itoa(d.errs + ch.errs)})
			if ch.cpu > 0 && float64(d.cpu)/float64(ch.cpu) > worst {
				worst, worstAt = float64(d.cpu)/float64(ch.cpu), fmt.Sprintf("/v1/%s c=%d", door, c)
			}
		}
	}
	table(w, rows, 3)
	for _, x := range cells {
		if x.firstEr != "" && isDoor(x.mode) {
			fmt.Fprintf(w, "first error of %s %s c=%d: %s\n", x.target, x.mode, x.conc, x.firstEr)
		}
	}
	fmt.Fprintln(w, "\nTarget (translation against passthrough):")
	fmt.Fprintf(w, "  CPU per request ≤ 1.5× /v1/chat/completions in every cell: worst %.2f× (%s) — %s\n", worst, worstAt, verdict(worst > 0 && worst <= 1.5))
}

// table prints rows as a Markdown table, the first left cols left-aligned.
func table(w io.Writer, rows [][]string, left int) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for i, r := range rows {
		var b strings.Builder
		for j, c := range r {
			pad := strings.Repeat(" ", widths[j]-len([]rune(c)))
			if j < left {
				b.WriteString("| " + c + pad + " ")
			} else {
				b.WriteString("| " + pad + c + " ")
			}
		}
		fmt.Fprintln(w, b.String()+"|")
		if i == 0 {
			b.Reset()
			for j := range r {
				if j < left {
					b.WriteString("|:" + strings.Repeat("-", widths[j]+1))
				} else {
					b.WriteString("|" + strings.Repeat("-", widths[j]+1) + ":")
				}
			}
			fmt.Fprintln(w, b.String()+"|")
		}
	}
}

// reportLog sets serve (request log on, the default) against serve-nolog
// (the same binary with the log switched off), measured in the same
// rounds: throughput within 5% in every cell, and at most 50 µs of p50
// added at c=1.
func reportLog(w io.Writer, find func(string, string, int) cell, modes []string, concs []int) {
	worst, worstAt := 1e9, ""
	for _, mode := range modes {
		for _, c := range concs {
			on, off := find("serve", mode, c), find("serve-nolog", mode, c)
			if off.rps == 0 {
				return // not measured (-nolog=false)
			}
			fmt.Fprintf(w, "  request log on/off, %s c=%d: %.0f / %.0f req/s (%s), p50 %s / %s ms (%+.0f µs)\n", mode, c, on.rps, off.rps,
				ratio(on.rps, off.rps), ms(on.p50), ms(off.p50), float64(on.p50-off.p50)/float64(time.Microsecond))
			if r := on.rps / off.rps; r < worst {
				worst, worstAt = r, fmt.Sprintf("%s c=%d", mode, c)
			}
		}
	}
	fmt.Fprintf(w, "  request log on: throughput ≥ 0.95× off in every cell: worst %.2f× (%s) — %s\n", worst, worstAt, verdict(worst >= 0.95))
	for _, mode := range modes {
		on, off := find("serve", mode, 1), find("serve-nolog", mode, 1)
		added := on.p50 - off.p50
		fmt.Fprintf(w, "  request log on: added p50 at c=1 (%s) ≤ 50 µs: %+.0f µs — %s\n", mode, float64(added)/float64(time.Microsecond), verdict(added <= 50*time.Microsecond))
	}
}
