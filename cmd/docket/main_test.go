package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// Every start-up failure is one clear line and a non-zero exit.
func TestStartupFailuresAreOneLine(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db := "sqlite:" + filepath.Join(dir, "ok", "docket.db")

	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"bad flag", []string{"serve", "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{"bad duration", []string{"serve", "--shutdown-timeout", "soon"}, 2, "invalid value"},
		{"stray argument", []string{"serve", "now"}, 2, `unexpected argument "now"`},
		{"malformed db url", []string{"serve", "--db", "mysql://x/y"}, 2, "want sqlite:path/to/docket.db or postgres://"},
		{"sqlite without file", []string{"serve", "--db", "sqlite:"}, 2, "names no file"},
		{"postgres without db", []string{"serve", "--db", "postgres://u@localhost"}, 2, "names no database"},
		{"bad log level", []string{"serve", "--db", db, "--log-level", "loud"}, 2, `log level "loud"`},
		{"bad public url", []string{"serve", "--db", db, "--public-url", "docket.example.com"}, 2, "absolute http(s) URL"},
		{"unreachable postgres", []string{"serve", "--db", "postgres://postgres@127.0.0.1:1/docket?connect_timeout=2", "--data-dir", dir}, 1, "cannot reach postgres://postgres@127.0.0.1:1/docket"},
		{"password redacted", []string{"serve", "--db", "postgres://u:hunter2@127.0.0.1:1/docket?connect_timeout=2", "--data-dir", dir}, 1, "u:xxxxx@"},
		{"port in use", []string{"serve", "--db", db, "--addr", busy.Addr().String()}, 1, "address already in use"},
		// /proc refuses new files even to root.
		{"unwritable data folder", []string{"serve", "--db", "sqlite:/proc/docket.db"}, 1, "data folder /proc is not writable"},
		{"uncreatable data folder", []string{"serve", "--db", "sqlite:/proc/docket-data/docket.db"}, 1, "cannot create data folder /proc/docket-data"},
		{"data folder is a file", []string{"serve", "--db", "sqlite:" + filepath.Join(blocker, "docket.db")}, 1, "cannot create data folder"},
		{"migrate without action", []string{"migrate", "--db", db}, 2, "want one of up, down, status"},
		{"migrate bad action", []string{"migrate", "--db", db, "sideways"}, 2, `unknown action "sideways"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Fatalf("stderr %q does not say %q", stderr, tc.want)
			}
			if lines := strings.Count(strings.TrimSpace(stderr), "\n"); lines != 0 || strings.Contains(stderr, "goroutine") {
				t.Fatalf("want one line, got %q", stderr)
			}
			if strings.Contains(stderr, "hunter2") {
				t.Fatal("password leaked")
			}
		})
	}
}

func TestEnvironmentConfiguresFlags(t *testing.T) {
	t.Setenv("DOCKET_LOG_LEVEL", "debug")
	t.Setenv("DOCKET_ADDR", "127.0.0.1:9999")
	t.Setenv("DOCKET_SHUTDOWN_TIMEOUT", "3s")
	var c Config
	fs := newServeFlagSet(&c)
	if err := parseFlags(fs, []string{"--addr", "127.0.0.1:7777"}, io.Discard); err != nil {
		t.Fatal(err)
	}
	if c.LogLevel != "debug" || c.ShutdownTimeout != 3*time.Second {
		t.Fatalf("env not applied: %+v", c)
	}
	if c.Addr != "127.0.0.1:7777" {
		t.Fatalf("a flag must win over the environment: addr %q", c.Addr)
	}
	t.Setenv("DOCKET_SHUTDOWN_TIMEOUT", "whenever")
	if err := parseFlags(newServeFlagSet(&c), nil, io.Discard); err == nil || !strings.Contains(err.Error(), "DOCKET_SHUTDOWN_TIMEOUT") {
		t.Fatalf("bad env value: %v", err)
	}
}

// A server starts on both databases, serves, and stops cleanly when its
// context ends; a request in flight finishes first.
func TestServeLifecycle(t *testing.T) {
	testdb.EachDialect(t, func(t *testing.T, dialect models.Dialect, url string) {
		dir := t.TempDir()
		cfg := Config{Addr: "127.0.0.1:0", DB: url, DataDir: dir, LogLevel: "info", LogFormat: "json", ShutdownTimeout: 5 * time.Second}
		m := &Main{Config: cfg, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		defer m.Close()
		if err := m.Open(context.Background()); err != nil {
			t.Fatal(err)
		}
		if m.DB.Dialect != dialect {
			t.Fatalf("dialect %s, want %s", m.DB.Dialect, dialect)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- m.Run(ctx) }()

		base := "http://" + m.Addr()
		waitReady(t, base)
		if b, err := os.ReadFile(filepath.Join(dir, "session.key")); err != nil || len(strings.TrimSpace(string(b))) != 64 {
			t.Fatalf("session secret not generated: %v %q", err, b)
		}

		// Start a request whose body is still being sent, then shut down:
		// the server must wait for it rather than cut it off.
		pr, pw := io.Pipe()
		inflight := make(chan int, 1)
		go func() {
			req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/markets", pr)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				inflight <- -1
				return
			}
			res.Body.Close()
			inflight <- res.StatusCode
		}()
		_, _ = pw.Write([]byte(`{"a":`))
		time.Sleep(100 * time.Millisecond)
		cancel()
		time.Sleep(100 * time.Millisecond)
		_, _ = pw.Write([]byte(`1}`))
		_ = pw.Close()
		if code := <-inflight; code != http.StatusMethodNotAllowed {
			t.Fatalf("in-flight request got %d, want its real answer (405)", code)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("server did not stop")
		}
		if _, err := http.Get(base + "/healthz"); err == nil {
			t.Fatal("still serving after shutdown")
		}
	})
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("server never became ready")
}

func TestMigrateCommand(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "docket.db")
	code, out, errs := runCmd(t, "migrate", "--db", db, "status")
	if code != 0 || !strings.Contains(out, "pending") {
		t.Fatalf("status before: %d %q %q", code, out, errs)
	}
	if code, out, _ = runCmd(t, "migrate", "--db", db, "up"); code != 0 || !strings.Contains(out, "applied") {
		t.Fatalf("up: %d %q", code, out)
	}
	if code, out, _ = runCmd(t, "migrate", "--db", db, "status"); code != 0 || strings.Contains(out, "pending") {
		t.Fatalf("status after up: %d %q", code, out)
	}
	if code, out, _ = runCmd(t, "migrate", "--db", db, "down"); code != 0 || !strings.Contains(out, "rolled back migration") {
		t.Fatalf("down: %d %q", code, out)
	}
}
