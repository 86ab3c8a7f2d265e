package server_test

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"thinkcloud/backend/fakeupstream"
	"thinkcloud/backend/internal/testrig"
)

// BenchmarkRequestLog compares the endpoint with the request log on and
// off in the same run, one request at a time (c=1). The two endpoints
// take turns, request by request (and which goes first alternates), so load from elsewhere on the machine
// falls on both alike; each iteration is one request to each. Reported:
// the p50 and mean latency of each (µs) and the p50 difference. The log's
// cost on the request path is pricing the row and handing it to a
// channel; its writer runs beside. Figures in docs/BENCHMARKS.md.
//
//	go test -run '^$' -bench RequestLog -benchtime 3000x ./backend/server/
func BenchmarkRequestLog(b *testing.B) {
	t := &testing.T{}
	for _, mode := range []struct{ name, body string }{
		{"json", chatBody("gpt-6-luna", "hi", "")},
		{"stream", chatBody("gpt-6-luna", "trigger:tokens=20", `,"stream":true`)},
	} {
		off := newStackWith(t, testrig.Options{Fakes: []string{fakeupstream.OpenAI}})
		on := newStackWith(t, testrig.Options{Fakes: []string{fakeupstream.OpenAI}, Usage: true})
		b.Run(mode.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			var offT, onT []time.Duration
			one := func(url string) time.Duration {
				start := time.Now()
				req, _ := http.NewRequest("POST", url+"/v1/chat/completions", strings.NewReader(mode.body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("status %d", resp.StatusCode)
				}
				return time.Since(start)
			}
			for i := 0; b.Loop(); i++ {
				if i%2 == 0 { // who goes first alternates: the second request of a pair runs warmer
					offT = append(offT, one(off.url))
					onT = append(onT, one(on.url))
				} else {
					onT = append(onT, one(on.url))
					offT = append(offT, one(off.url))
				}
			}
			p50 := func(d []time.Duration) float64 {
				s := slices.Clone(d)
				slices.Sort(s)
				return float64(s[len(s)/2].Microseconds())
			}
			mean := func(d []time.Duration) float64 {
				var sum time.Duration
				for _, x := range d {
					sum += x
				}
				return float64(sum.Microseconds()) / float64(len(d))
			}
			b.ReportMetric(p50(offT), "p50-off-µs")
			b.ReportMetric(p50(onT), "p50-on-µs")
			b.ReportMetric(p50(onT)-p50(offT), "p50-added-µs")
			b.ReportMetric(mean(offT), "mean-off-µs")
			b.ReportMetric(mean(onT), "mean-on-µs")
		})
		if h := on.core.UsageStatus(); h.Off {
			b.Fatalf("the log was off: %s", h.Reason)
		}
	}
}
