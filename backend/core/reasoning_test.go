package core_test

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"thinkcloud/backend/internal/testrig"
	"thinkcloud/backend/secrets"
)

// brokenKeyring is a keyring that cannot be reached, as on a server
// without a Secret Service.
type brokenKeyring struct{}

func (brokenKeyring) Get(string, string) (string, error) {
	return "", &secrets.UnavailableError{Reason: "no Secret Service in this test", Err: errors.New("test")}
}
func (brokenKeyring) Set(string, string, string) error {
	return &secrets.UnavailableError{Reason: "no Secret Service in this test", Err: errors.New("test")}
}
func (brokenKeyring) Delete(string, string) error { return nil }

// TestReasoningKeySurvivesRestart seals reasoning in one core and sends it
// back to another one, as if ThinkCloud had restarted between two turns
// of a Codex conversation.
func TestReasoningKeySurvivesRestart(t *testing.T) {
	t.Parallel()
	shared := &secrets.MemoryKeyring{}
	for _, tc := range []struct {
		name        string
		kr          secrets.Keyring
		tokA, tokB  string
		opens       bool
		warnsOfLoss bool
	}{
		{"keyring", shared, "", "", true, false},
		{"no keyring, same access token", brokenKeyring{}, "tc-a", "tc-a", true, false},
		{"no keyring, other access token", brokenKeyring{}, "tc-a", "tc-b", false, false},
		{"no keyring, no token: this run only", brokenKeyring{}, "", "", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := func(tok string) map[string]string {
				if tok == "" {
					return nil
				}
				return map[string]string{"THINKCLOUD_ACCESS_TOKEN": tok}
			}
			a := testrig.New(t, testrig.Options{Fakes: []string{"deepseek"}, Keyring: tc.kr, Env: env(tc.tokA)})
			item := sealedReasoning(t, a)
			b := testrig.New(t, testrig.Options{Fakes: []string{"deepseek"}, Keyring: tc.kr, Env: env(tc.tokB)})
			status, body := post(t, b, `{"model":"deepseek-v4-pro","input":[{"role":"user","content":"hi"},`+item+`,{"role":"user","content":"again"}]}`)
			if opened := status == 200; opened != tc.opens {
				t.Fatalf("got %d %s; want it to open: %v", status, body, tc.opens)
			}
			if !tc.opens && !strings.Contains(body, "invalid_encrypted_content") {
				t.Errorf("refusal: %s", body)
			}
			if warned := strings.Contains(a.Logs.String(), "will not open after a restart"); warned != tc.warnsOfLoss {
				t.Errorf("warning logged: %v; want %v\n%s", warned, tc.warnsOfLoss, a.Logs.String())
			}
		})
	}
}

// sealedReasoning asks rig's deepseek-v4-pro a question and returns the
// reasoning item of the answer, as JSON.
func sealedReasoning(t *testing.T, rig *testrig.Rig) string {
	t.Helper()
	status, body := post(t, rig, `{"model":"deepseek-v4-pro","input":"hi","store":false,"include":["reasoning.encrypted_content"]}`)
	var r struct{ Output []map[string]any }
	json.Unmarshal([]byte(body), &r)
	if status != 200 || len(r.Output) == 0 || r.Output[0]["type"] != "reasoning" {
		t.Fatalf("got %d %s", status, body)
	}
	b, _ := json.Marshal(r.Output[0])
	return string(b)
}

func post(t *testing.T, rig *testrig.Rig, body string) (int, string) {
	t.Helper()
	h, err := rig.Core.Handler()
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "http://127.0.0.1/v1/responses", strings.NewReader(body)))
	return rec.Code, rec.Body.String()
}
