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

	"github.com/docket-tns/docket/app"
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

		// An open event stream (a browser tab) must not hold the shutdown
		// to its timeout: the server ends streams when it begins to stop.
		tok, err := m.App.CreateToken(context.Background(), app.SystemActor("test"), app.NewToken{Name: "stream", Scopes: []string{"cases:read"}, Markets: []string{"VN"}})
		if err != nil {
			t.Fatal(err)
		}
		sreq, _ := http.NewRequest(http.MethodGet, base+"/api/v1/stream", nil)
		sreq.Header.Set("Authorization", "Bearer "+tok.Secret)
		sres, err := http.DefaultClient.Do(sreq)
		if err != nil || sres.StatusCode != http.StatusOK {
			t.Fatalf("stream: %v %v", err, sres)
		}
		streamEnded := make(chan error, 1)
		go func() {
			_, err := io.Copy(io.Discard, sres.Body)
			streamEnded <- err
		}()

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
		if err := <-streamEnded; err != nil {
			t.Fatalf("the stream was cut off instead of ended: %v", err)
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

func TestAccountCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "docket.db")
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
		return code, out.String(), errb.String()
	}
	code, out, errs := run("a-long-enough-pass\n", "user", "create", "--db", db, "--email", "ops@example.test", "--name", "Ops", "--role", "admin", "--market", "*")
	if code != 0 || !strings.Contains(out, "created user 1 ops@example.test") {
		t.Fatalf("user create: %d %q %q", code, out, errs)
	}
	if code, _, errs = run("", "user", "create", "--db", db, "--email", "ops@example.test", "--name", "Ops", "--role", "admin", "--market", "*", "--password", "another-long-pass"); code != 1 || !strings.Contains(errs, "already exists") {
		t.Fatalf("duplicate: %d %q", code, errs)
	}
	if code, _, errs = run("short\n", "user", "create", "--db", db, "--email", "x@example.test", "--name", "X", "--role", "lead", "--market", "VN"); code != 1 || !strings.Contains(errs, "at least 12") {
		t.Fatalf("short password: %d %q", code, errs)
	}
	if code, _, errs = run("", "user", "create", "--db", db, "--email", "y@example.test", "--name", "Y", "--role", "king", "--market", "VN", "--password", "a-long-enough-pass"); code != 1 || !strings.Contains(errs, "unknown role") {
		t.Fatalf("bad role: %d %q", code, errs)
	}
	code, out, errs = run("", "token", "create", "--db", db, "--name", "risk-engine", "--scope", "signals:write,cases:read", "--market", "VN")
	if code != 0 || !strings.HasPrefix(out, "dkt_") || strings.Count(out, "\n") != 1 || !strings.Contains(errs, "shown once") {
		t.Fatalf("token create: %d %q %q", code, out, errs)
	}
	if code, _, errs = run("", "token", "create", "--db", db, "--name", "x", "--scope", "root"); code != 1 || !strings.Contains(errs, "unknown_scope") && !strings.Contains(errs, "scopes[0]") {
		t.Fatalf("bad scope: %d %q", code, errs)
	}
	code, out, _ = run("", "audit", "verify", "--db", db)
	if code != 0 || !strings.Contains(out, "audit chain ok: 2 entries") {
		t.Fatalf("verify: %d %q", code, out)
	}
	code, out, _ = run("", "demo", "--db", db)
	if code != 0 || !strings.Contains(out, "7 users created") {
		t.Fatalf("demo: %d %q", code, out)
	}
	if code, out, _ = run("", "demo", "--db", db); code != 0 || !strings.Contains(out, "0 users created, 7 already there") {
		t.Fatalf("demo twice: %d %q", code, out)
	}

	// Tamper with the file behind the trigger's back: verify names the entry and fails.
	d, err := models.OpenDatabase(context.Background(), models.DatabaseOptions{URL: db})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"DROP TRIGGER audit_entries_no_update", "UPDATE audit_entries SET action = 'nothing' WHERE seq = 4"} {
		if err := d.Gorm.Exec(s).Error; err != nil {
			t.Fatal(err)
		}
	}
	d.Close()
	code, _, errs = run("", "audit", "verify", "--db", db)
	if code != 1 || !strings.Contains(errs, "audit chain broken at entry 4") {
		t.Fatalf("verify tampered: %d %q", code, errs)
	}
}
