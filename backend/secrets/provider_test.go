package secrets

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestEnvVarNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		provider string
		want     []string
	}{
		{"deepseek", []string{"DEEPSEEK_API_KEY"}},
		{"openai", []string{"OPENAI_API_KEY"}},
		{"kimi", []string{"KIMI_API_KEY", "MOONSHOT_API_KEY"}},
		{"custom-openrouter", []string{"CUSTOM_OPENROUTER_API_KEY"}},
		{"custom-my.llm", []string{"CUSTOM_MY_LLM_API_KEY"}},
	} {
		if got := EnvVarNames(tc.provider); !slices.Equal(got, tc.want) {
			t.Errorf("EnvVarNames(%q) = %q; want %q", tc.provider, got, tc.want)
		}
	}
}

func TestProviderKeyLayers(t *testing.T) {
	t.Parallel()
	const long = "sk-0123456789abcdef"
	for _, tc := range []struct {
		name     string
		provider string
		env      map[string]string
		dotenv   map[string]string
		keyring  map[string]string
		kerr     error
		wantKey  string
		wantSrc  Source
		wantEnv  string
		wantErr  error
	}{
		{name: "environment wins", provider: "deepseek",
			env: map[string]string{"DEEPSEEK_API_KEY": " env-key-0123456789 \n"}, dotenv: map[string]string{"DEEPSEEK_API_KEY": "dot"},
			keyring: map[string]string{"deepseek": "ring"}, wantKey: "env-key-0123456789", wantSrc: SourceEnvironment, wantEnv: "DEEPSEEK_API_KEY"},
		{name: "kimi second variable", provider: "kimi", env: map[string]string{"MOONSHOT_API_KEY": long},
			wantKey: long, wantSrc: SourceEnvironment, wantEnv: "MOONSHOT_API_KEY"},
		{name: "blank variable falls through to dotenv", provider: "openai",
			env: map[string]string{"OPENAI_API_KEY": "  "}, dotenv: map[string]string{"OPENAI_API_KEY": long},
			wantKey: long, wantSrc: SourceDotEnv, wantEnv: "OPENAI_API_KEY"},
		{name: "keyring last", provider: "custom-openrouter", keyring: map[string]string{"custom-openrouter": long},
			wantKey: long, wantSrc: SourceKeyring, wantEnv: "CUSTOM_OPENROUTER_API_KEY"},
		{name: "environment works without keyring", provider: "cerebras",
			env: map[string]string{"CEREBRAS_API_KEY": long}, kerr: &UnavailableError{Reason: "no bus"},
			wantKey: long, wantSrc: SourceEnvironment, wantEnv: "CEREBRAS_API_KEY"},
		{name: "none", provider: "dashscope", wantSrc: SourceNone, wantEnv: "DASHSCOPE_API_KEY", wantErr: ErrNotFound},
		{name: "keyring unavailable", provider: "dashscope", kerr: &UnavailableError{Reason: "no bus"},
			wantSrc: SourceNone, wantEnv: "DASHSCOPE_API_KEY", wantErr: ErrUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			for k, v := range tc.keyring {
				f.put(k, v)
			}
			f.setErr(tc.kerr)
			s := NewStore(Options{Keyring: f, LookupEnv: envOf(tc.env), DotEnv: tc.dotenv})
			key, info, err := s.ProviderKey(tc.provider, nil)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("err = %v; want %v", err, tc.wantErr)
			}
			if key != tc.wantKey || info.Source != tc.wantSrc || info.EnvVar != tc.wantEnv || info.HasKey != (tc.wantKey != "") {
				t.Errorf("got key %q info %+v; want key %q source %q envVar %q", key, info, tc.wantKey, tc.wantSrc, tc.wantEnv)
			}
			if info.Hint != Mask(tc.wantKey) || info.Provider != tc.provider {
				t.Errorf("got hint %q provider %q; want %q %q", info.Hint, info.Provider, Mask(tc.wantKey), tc.provider)
			}
			if wantInfoErr := errors.Is(tc.wantErr, ErrUnavailable); (info.Error != "") != wantInfoErr {
				t.Errorf("info.Error = %q; want set: %v", info.Error, wantInfoErr)
			}
		})
	}
}

func TestProviderKeyCustomEnvNames(t *testing.T) {
	t.Parallel()
	s := NewStore(Options{Keyring: newFake(), LookupEnv: envOf(map[string]string{"OR_KEY": "sk-or-v1-0123456789"})})
	key, info, err := s.ProviderKey("custom-openrouter", []string{"OR_KEY"})
	if err != nil || key != "sk-or-v1-0123456789" || info.EnvVar != "OR_KEY" {
		t.Errorf("got %q %+v %v; want key from OR_KEY", key, info, err)
	}
}

func TestAccessToken(t *testing.T) {
	t.Parallel()
	f := newFake()
	s := newTestStore(f)
	if _, err := s.AccessToken(false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("AccessToken(false) on empty keyring: got %v; want ErrNotFound", err)
	}
	tok, err := s.AccessToken(true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, "tc-") || len(tok) != 3+43 {
		t.Errorf("token %q; want tc- and 43 base64url characters", tok)
	}
	if stored, _ := f.stored(AccessTokenUser); stored != tok {
		t.Errorf("stored token %q; want %q", stored, tok)
	}
	if again, err := newTestStore(f).AccessToken(true); err != nil || again != tok {
		t.Errorf("second AccessToken = %q, %v; want %q", again, err, tok)
	}
	next, err := s.RegenerateAccessToken()
	if err != nil || next == tok || !strings.HasPrefix(next, "tc-") {
		t.Errorf("RegenerateAccessToken = %q, %v; want a new tc- token", next, err)
	}
	if got, _ := s.AccessToken(false); got != next {
		t.Errorf("AccessToken after regenerate = %q; want %q", got, next)
	}
}

func TestAccessTokenConcurrentCreate(t *testing.T) {
	t.Parallel()
	s := newTestStore(newFake())
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			tok, err := s.AccessToken(true)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			seen[tok] = true
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(seen) != 1 {
		t.Errorf("concurrent AccessToken(true) created %d tokens; want 1", len(seen))
	}
}

func TestAccessTokenUnavailable(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.setErr(&UnavailableError{Reason: "no bus"})
	if _, err := newTestStore(f).AccessToken(true); !errors.Is(err, ErrUnavailable) {
		t.Errorf("AccessToken(true): got %v; want ErrUnavailable", err)
	}
	if n := f.sets.Load(); n != 0 {
		t.Errorf("keyring Set calls = %d; want 0 (must not create a token it cannot read)", n)
	}
}

func TestMask(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ key, want string }{
		{"", ""},
		{"short", "****"},
		{"sk-abcdefghijkl", "****"},
		{"sk-abcdefghijklmnopa1b2", "sk-…a1b2"},
		{"sk-proj-abcdefghijklmnop9z9z", "sk-proj-…9z9z"},
		{"csk-abcdefghijklmnopwxyz", "csk-…wxyz"},
		{"  abcdefghijklmnopqrstu1234\n", "…1234"},
		{"tc-abcdefghijklmnopqrstuvwxyz", "tc-…wxyz"},
	} {
		if got := Mask(tc.key); got != tc.want {
			t.Errorf("Mask(%q) = %q; want %q", tc.key, got, tc.want)
		}
	}
}
