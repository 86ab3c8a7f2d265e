package gateway

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRequestKeysReadOneWay: a body the gateway and the provider would
// read differently is refused. encoding/json matches keys without regard
// to case and keeps the last duplicate, while providers' parsers are
// case-sensitive and may keep the first; so {"model":"gpt-6-luna",
// "Model":"deepseek-flash"} was routed as one model and answered as
// another.
func TestRequestKeysReadOneWay(t *testing.T) {
	t.Parallel()
	const msgs = `"messages":[{"role":"user","content":"hi"}]`
	for _, tc := range []struct {
		name, body, param string // param "" means accepted
	}{
		{"plain", `{"model":"gpt-6-luna",` + msgs + `}`, ""},
		{"unknown fields and nested keys pass", `{"model":"gpt-6-luna",` + msgs + `,"X_Vendor":1,"extra":{"model":"a","Model":"b"}}`, ""},
		{"duplicate model", `{"model":"gpt-6-luna","model":"deepseek-flash",` + msgs + `}`, "model"},
		{"case-variant model", `{"model":"gpt-6-luna","Model":"deepseek-flash",` + msgs + `}`, "model"},
		{"case variant alone", `{"MODEL":"gpt-6-luna",` + msgs + `}`, "MODEL"},
		{"two messages", `{"model":"gpt-6-luna",` + msgs + `,"messages":[{"role":"system","content":"x"}]}`, "messages"},
		{"escaped duplicate", `{"model":"gpt-6-luna","mod\u0065l":"deepseek-flash",` + msgs + `}`, "model"},
		{"Unicode fold (long s)", `{"model":"gpt-6-luna",` + msgs + `,"ſtream":true}`, "ſtream"},
		{"Kelvin sign", `{"model":"gpt-6-luna",` + msgs + `,"max_to\u212aens":5}`, "max_to\u212aens"},
		{"duplicate unknown field", `{"model":"gpt-6-luna",` + msgs + `,"tools":[],"Tools":[]}`, "tools"},
		{"case-variant unknown field", `{"model":"gpt-6-luna",` + msgs + `,"X_Vendor":1,"x_vendor":2}`, "X_Vendor"},
	} {
		_, e := ParseRequest([]byte(tc.body))
		switch {
		case tc.param == "" && e != nil:
			t.Errorf("%s: got %v; want it accepted", tc.name, e)
		case tc.param != "" && (e == nil || e.HTTPStatus() != 400 || e.Param != tc.param):
			t.Errorf("%s: got %+v; want a 400 naming %q", tc.name, e, tc.param)
		case tc.param != "" && !strings.Contains(e.Message, tc.param):
			t.Errorf("%s: message %q does not name %q", tc.name, e.Message, tc.param)
		}
	}
}

// FuzzRequestKeysAgree: whatever body ParseRequest accepts, the model it
// routes on (read by encoding/json) is the value of the one key spelled
// exactly "model", which is what a provider reads.
func FuzzRequestKeysAgree(f *testing.F) {
	for _, seed := range []string{
		`{"model":"gpt-6-luna","messages":[{"role":"user"}]}`,
		`{"model":"gpt-6-luna","Model":"x","messages":[{"role":"user"}]}`,
		`{"mod\u0065l":"gpt-6-luna","messages":[{"role":"user"}]}`,
		`{"messages":[{"role":"user"}],"model":"a","ſtream":true}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, e := ParseRequest(body)
		if e != nil {
			return
		}
		start, end, err := topLevelValue(body, "model")
		if err != nil {
			t.Fatalf("accepted %q, which has no key spelled \"model\": %v", body, err)
		}
		var m string
		if json.Unmarshal(body[start:end], &m) != nil || m != req.Model {
			t.Fatalf("accepted %q: routed on %q, a provider reads %s", body, req.Model, body[start:end])
		}
	})
}
