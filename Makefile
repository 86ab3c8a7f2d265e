# ThinkCloud Desktop. `make run` and `make test` install what is missing
# first (Debian/Ubuntu: apt packages, the pinned Wails CLI, npm packages).
SHELL := /bin/bash
.DEFAULT_GOAL := build

TAGS     := webkit2_41
WAILS    := $(shell go env GOPATH)/bin/wails
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X main.version=$(VERSION)
BIN      := build/bin/thinkcloud
HEADLESS := build/bin/thinkcloud-headless
FAKE     := build/bin/fakeupstream
ARTIFACTS := build/test-artifacts
GO_SRC   := $(shell find . -name '*.go' -not -path './frontend/*' -not -path '*/node_modules/*') go.mod go.sum \
            $(wildcard backend/*/*.json backend/*/*.html)
# Not frontend/wailsjs: wails build rewrites (touches) it on every build.
FRONT_SRC := $(shell find frontend/src -type f 2>/dev/null) frontend/index.html \
             frontend/package-lock.json frontend/vite.config.ts frontend/svelte.config.js

.PHONY: deps deps-test build build-headless run serve dev test test-go test-fuzz test-frontend test-keyring test-window test-compat test-agents-claude test-agents-codex test-e2e test-stress test-package package bench bench-usage bench-frontend bench-window bench-footprint screenshots clean

deps:
	@build/deps.sh

deps-test:
	@build/deps.sh test

# vite empties dist/, .gitkeep included; put it back so a plain `go build`
# keeps compiling (the embed needs one file) whatever state the tree is in.
frontend/dist/index.html: $(FRONT_SRC)
	cd frontend && npm run build --silent
	@touch frontend/dist/.gitkeep

# wails build: -s the frontend is built above, -m no `go mod tidy`,
# -skipbindings the frontend reaches Go through window.go (src/api).
$(BIN): frontend/dist/index.html $(GO_SRC)
	$(WAILS) build -s -m -skipbindings -tags $(TAGS) -ldflags "$(LDFLAGS)" -o thinkcloud >/dev/null
	@echo "built $(BIN)"

build: deps $(BIN)

# The endpoint without the window, for machines with no desktop: a plain
# static Go binary (no GTK, no WebKitGTK, no libc), so it needs only Go to
# build and nothing to run. The desktop build's `serve` works too, but it
# cannot start where WebKitGTK is not installed, and loading it costs
# ~50 MB of RSS (docs/BENCHMARKS.md).
build-headless: $(HEADLESS)

$(HEADLESS): $(GO_SRC)
	CGO_ENABLED=0 go build -trimpath -ldflags "$(LDFLAGS)" -o $(HEADLESS) .
	@echo "built $(HEADLESS)"

# With no display (a server, CI) the window opens in a virtual X server.
run: build
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "run: no display; opening the window inside Xvfb (use 'make serve' for the endpoint alone)"; \
	  build/deps.sh test >/dev/null; \
	  exec xvfb-run -a -s "-screen 0 1280x900x24" $(BIN) $(ARGS); \
	else exec $(BIN) $(ARGS); fi

serve: $(HEADLESS)
	$(HEADLESS) serve $(ARGS)

dev: deps
	$(WAILS) dev -tags $(TAGS)

test: deps-test
	$(MAKE) --no-print-directory test-go test-fuzz test-frontend build test-keyring test-window test-compat test-agents-claude test-agents-codex test-e2e test-package
	@echo "make test: all suites passed"

# Unit tests never touch a real keyring: with the bus disabled go-keyring
# fails fast instead of spawning dbus-launch. tests/compat's Go suite runs
# the two binaries built first, with no deadline, rather than building them
# inside a test binary, under go test's 10-minute limit, beside the others.
test-go: $(HEADLESS) $(FAKE)
	go vet ./...
	THINKCLOUD_BIN=$(abspath $(HEADLESS)) FAKEUPSTREAM_BIN=$(abspath $(FAKE)) \
	  DBUS_SESSION_BUS_ADDRESS=disabled: go test -race -count=1 ./...

$(FAKE): $(GO_SRC)
	go build -o $(FAKE) ./tests/fakeupstream

# Installers and archives in build/dist/ (docs/PACKAGING.md): .deb, .rpm,
# the headless .tar.gz, thinkcloud-setup.exe, the Windows .zip, SHA256SUMS.
# PLATFORMS=linux (or windows) builds only those.
package:
	@build/deps.sh package
	@build/package.sh

# Builds the packages, then checks them: lintian, the metadata validators,
# a dpkg -i/-r round trip on this machine (root), rpm -qlp, the Windows
# version resources (tests/package/check.sh).
test-package: package
	@build/deps.sh package-test
	tests/package/check.sh

# A short run of each fuzz target; the corpus in testdata/ is replayed by
# test-go on every run. Budgets are execution counts (about 10 s each
# here), not durations: a duration races Go 1.26's fuzz coordinator at the
# deadline and fails with a bare "context deadline exceeded" (golang/go#75804).
test-fuzz:
	DBUS_SESSION_BUS_ADDRESS=disabled: go test -run '^$$' -fuzz '^FuzzReplaceModel$$' -fuzztime 200000x ./backend/gateway/
	DBUS_SESSION_BUS_ADDRESS=disabled: go test -run '^$$' -fuzz '^FuzzSSEReader$$' -fuzztime 200000x ./backend/gateway/
	DBUS_SESSION_BUS_ADDRESS=disabled: go test -run '^$$' -fuzz '^FuzzScanChunk$$' -fuzztime 200000x ./backend/gateway/
	DBUS_SESSION_BUS_ADDRESS=disabled: go test -run '^$$' -fuzz '^FuzzAppendJSONString$$' -fuzztime 100000x ./backend/gateway/
	DBUS_SESSION_BUS_ADDRESS=disabled: go test -run '^$$' -fuzz '^FuzzBuild$$' -fuzztime 200000x ./backend/gateway/responses/
	DBUS_SESSION_BUS_ADDRESS=disabled: go test -run '^$$' -fuzz '^FuzzChatBody$$' -fuzztime 200000x ./backend/gateway/anthropic/

test-frontend:
	cd frontend && npm run check --silent && npm test --silent

test-keyring: $(BIN)
	THINKCLOUD_BIN=$(abspath $(BIN)) tests/keyring-test.sh go test -race -count=1 -timeout 300s -tags keyring_integration ./backend/secrets/ ./backend/cli/

test-window: $(BIN)
	tests/window/smoke.sh $(BIN) $(ARTIFACTS)
	tests/window/chat.sh $(BIN) $(ARTIFACTS)
	tests/window/export.sh $(BIN) $(ARTIFACTS)
	tests/window/background.sh $(BIN)
	tests/window/quit-streams.sh $(BIN)

# The README's screenshots: light and dark, English and Chinese; a
# regenerated answer at ‹ 2/3 › and KaTeX math (conversations.sh).
screenshots: deps-test $(BIN)
	tests/window/chat.sh $(BIN) $(ARTIFACTS) docs/screenshots
	tests/window/picker.sh $(BIN) $(ARTIFACTS) docs/screenshots
	tests/window/conversations.sh $(BIN) $(ARTIFACTS) docs/screenshots
	tests/window/usage.sh $(BIN) $(ARTIFACTS) docs/screenshots
	THEME=dark tests/window/usage.sh $(BIN) $(ARTIFACTS) docs/screenshots
	LANGUAGE_SETTING=zh-CN tests/window/usage.sh $(BIN) $(ARTIFACTS) docs/screenshots

# The SDKs run against the headless build, which must be static and say
# plainly that it has no window.
test-compat: $(HEADLESS)
	@ldd $(HEADLESS) 2>&1 | grep -q 'not a dynamic executable' || { echo "test-compat: $(HEADLESS) links shared libraries:"; ldd $(HEADLESS); exit 1; }
	@out=$$(DISPLAY=:0 $(HEADLESS) 2>&1); rc=$$?; [ $$rc = 2 ] && grep -q 'headless build' <<<"$$out" || { echo "test-compat: headless window mode: exit $$rc: $$out"; exit 1; }
	THINKCLOUD_BIN=$(abspath $(HEADLESS)) tests/compat/run.sh

# The real Codex CLI (pinned in tests/agents/codex/package.json) through
# /v1/responses, against a scripted fake provider, loopback only.
test-agents-codex: $(HEADLESS)
	THINKCLOUD_BIN=$(abspath $(HEADLESS)) tests/agents/codex/run.sh

# The real Claude Code CLI (pinned in tests/agents/claude/package.json)
# runs a task that needs a tool call through the Messages door, against
# the headless build and scripted fakes, with only loopback reachable.
test-agents-claude: deps-test $(HEADLESS)
	THINKCLOUD_BIN=$(abspath $(HEADLESS)) tests/agents/claude/run.sh

test-e2e: deps-test
	@if [ -x tests/e2e/run.sh ]; then tests/e2e/run.sh; else echo "test-e2e: no end-to-end suite yet"; fi

# make test on a busy machine: RUNS runs in a row (default 5) beside two
# busy loops, stopping at the first failure; prints each run's wall time.
# Not part of make test.
RUNS ?= 5
test-stress:
	@RUNS=$(RUNS) tests/stress.sh

bench: deps
	go run ./tests/bench
	$(MAKE) --no-print-directory bench-usage

# The Usage view's queries over a request log of 1,000,000 rows (seeded
# once per run, about a minute), each against the scan it replaced
# (docs/BENCHMARKS.md). ARGS: say -db /tmp/u.db -keep to reuse the log.
bench-usage:
	go run ./tests/bench/dashboard $(ARGS)

# The chat's markdown rendering per frame of a long answer, in Node
# (frontend/tests/markdown.bench.ts; docs/BENCHMARKS.md). Not part of make test.
bench-frontend: deps
	cd frontend && npx vitest bench --run

# The real window under a 10,000-token answer at 300 tokens/s, against an
# idle window in the same run (docs/BENCHMARKS.md). A measurement, not
# part of `make test`. ARGS: TOKENS RATE (default 10000 300).
bench-window: deps-test $(BIN)
	tests/window/stream-bench.sh $(BIN) $(ARGS)

# The installed app's first paint, PSS and hidden-window CPU (docs/BENCHMARKS.md).
bench-footprint: deps-test $(BIN)
	tests/window/footprint.sh $(BIN) $(ARGS)

clean:
	rm -rf build/bin $(ARTIFACTS) frontend/dist/assets frontend/dist/index.html
