package core_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"thinkcloud/backend/core"
	"thinkcloud/backend/internal/testrig"
)

// TestTokenLifecycle: a token's secret is returned once and never
// stored; rename keeps its identity; a revoke made by another process
// (the CLI, on the same settings.json) holds from the running app's next
// request; and saving older settings from the window does not bring it
// back.
func TestTokenLifecycle(t *testing.T) {
	t.Parallel()
	rig := testrig.New(t, testrig.Options{Fakes: []string{"deepseek"}, Settings: `{"version":1,"endpoint":{"enabled":true,"host":"127.0.0.1","port":8000,"requireToken":true}}`, Env: map[string]string{core.TokenEnv: "legacy"}})
	c := rig.Core
	windowCopy := c.Current()
	secret, tok, err := c.CreateToken("ide", core.TokenLimits{Models: []string{"deepseek"}, RPM: 60, Budget: "5USD/month"})
	if err != nil {
		t.Fatal(err)
	}
	file, _ := os.ReadFile(filepath.Join(rig.Dir, "settings.json"))
	if strings.Contains(string(file), secret) || strings.Contains(string(file), secret[3:20]) || !strings.Contains(string(file), tok.Hash) {
		t.Fatalf("settings.json holds the secret or lacks its hash:\n%s", file)
	}
	if _, _, err := c.CreateToken("ide", core.TokenLimits{}); err == nil {
		t.Error("a second token named ide was made")
	}
	if _, _, err := c.CreateToken("x", core.TokenLimits{Budget: "5 euros"}); err == nil {
		t.Error("a bad budget was accepted")
	}
	if err := c.RenameToken("ide", "editor"); err != nil {
		t.Fatal(err)
	}
	list, err := c.Tokens(context.Background())
	if err != nil || len(list) != 1 || list[0].Name != "editor" || list[0].ID != tok.ID || list[0].BudgetText != "5USD/month" || list[0].RPM != 60 {
		t.Fatalf("list %+v, %v", list, err)
	}

	h, err := c.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	call := func() int {
		req, _ := http.NewRequest("POST", srv.URL+"/v1/chat/completions", strings.NewReader(`{"model":"deepseek-flash","messages":[{"role":"user","content":"hi"}]}`))
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := call(); got != 200 {
		t.Fatalf("with the token: %d", got)
	}
	// Another process revokes it in the same settings file.
	cli, err := core.New(core.Options{SettingsFile: filepath.Join(rig.Dir, "settings.json"), LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	if err := cli.RevokeToken("editor"); err != nil {
		t.Fatal(err)
	}
	if got := call(); got != 401 {
		t.Fatalf("after a revoke by another process: %d; want 401", got)
	}
	if err := c.ApplySettings(windowCopy); err != nil {
		t.Fatal(err)
	}
	if list, _ := c.Tokens(context.Background()); len(list) != 0 {
		t.Fatalf("saving the window's older settings brought back %+v", list)
	}
	if err := c.RevokeToken("editor"); err == nil {
		t.Error("revoking a revoked token succeeded")
	}
}
