# Docket: `make run` to try it, `make test` to check everything.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

GO      ?= go
BIN     := bin/docket
DB      ?= sqlite:data/docket.db
ADDR    ?= :8080
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
CHROMIUM_PATH ?= /usr/bin/chromium
# Go packages, without the stray Go files some npm packages ship.
PKGS     = $(shell $(GO) list ./... | grep -v /node_modules/)
export DOCKET_TEST_POSTGRES ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
export DOCKET_BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable

.PHONY: run build build-ui test lint test-go test-frontend test-e2e bench clean

## Install frontend dependencies (again only when the lock file changes).
frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error

build-ui: frontend/node_modules/.package-lock.json
	cd frontend && npm run build

## The binary with the SPA embedded.
build: build-ui
	$(GO) build -tags ui -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/docket

## Build, load demo data into the SQLite default, and serve on :8080.
run: build
	./$(BIN) demo --db '$(DB)'
	./$(BIN) serve --db '$(DB)' --addr '$(ADDR)'

## Every check: Go (race, SQLite and PostgreSQL), frontend, browser.
test: lint test-go test-frontend test-e2e
	@echo "make test: all checks passed"

lint:
	@echo "== gofmt"; out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "not gofmt'ed:"; echo "$$out"; exit 1; fi
	@echo "== go vet"; $(GO) vet $(PKGS)
	@echo "== staticcheck"; $(GO) tool staticcheck $(PKGS)
	@echo "== layering"; scripts/check-layering

test-go:
	@scripts/check-postgres
	@mkdir -p build
	@echo "== go test -race (SQLite and PostgreSQL)"
	@$(GO) test -race -count=1 -timeout 25m -v $(PKGS) > build/go-test.log 2>&1; rc=$$?; \
	  grep -vE '^\s*(=== (RUN|PAUSE|CONT|NAME)|--- PASS)' build/go-test.log || true; \
	  scripts/go-test-summary build/go-test.log; exit $$rc

test-frontend: frontend/node_modules/.package-lock.json
	@echo "== frontend: typecheck, lint, unit tests"
	cd frontend && npm run typecheck && npm run lint && npm run test

test-e2e: build
	@scripts/check-chromium '$(CHROMIUM_PATH)'
	@echo "== browser tests (Playwright on $(CHROMIUM_PATH))"
	cd frontend && CHROMIUM_PATH='$(CHROMIUM_PATH)' DOCKET_BIN='$(abspath $(BIN))' npm run e2e

## Benchmarks: the Go micro-benchmarks, then `docket bench` (its own
## database on DOCKET_BENCH_POSTGRES, 1,000,000 open cases, and SQLite);
## figures go to docs/PERFORMANCE.md. BENCH_FLAGS adds or overrides flags,
## e.g. BENCH_FLAGS='--churn 60000' (a shorter churn) or '--large' (see docket bench --help).
BENCH_FLAGS ?=
bench:
	@mkdir -p build
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS) | tee build/bench-go.txt
	$(GO) run -ldflags '-X main.version=$(VERSION)' ./cmd/docket bench --go-bench build/bench-go.txt $(BENCH_FLAGS)

clean:
	rm -rf bin build frontend/dist
