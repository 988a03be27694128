// Command docket is Docket's one binary: the server and its admin commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/docket-tns/docket/models"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `Docket: case management and review queues for Trust & Safety teams.

Usage:
  docket serve            run the HTTP server (API and web app)
  docket migrate up|down|status
  docket demo             load a synthetic South-East Asian marketplace
  docket user create --email E --name N --role R --market M   (password from --password or stdin)
  docket token create --name N --scope S [--scope S] [--market M] [--expires 720h]
  docket audit verify     walk the audit hash chain; exit 1 if broken
  docket bench            seed a bench database and measure (docs/PERFORMANCE.md)
  docket version

Every command takes --db (env DOCKET_DB, default sqlite:data/docket.db).
Run "docket COMMAND --help" for a command's flags.
`

// usageError is a mistake in how the command was called: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Garbage collector defaults, unless GOGC or GOMEMLIMIT say otherwise: the
// server's live heap is small (tens of MB) and churns with every request,
// so collecting at twice the live heap instead of at once more spends
// less CPU on collection (measured with docket bench); the soft limit
// makes the collector work harder before the process nears 256 MB.
const (
	defaultGCPercent   = 200
	defaultMemoryLimit = 192 << 20
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}

// run executes one command and returns the process exit status. Failures
// are one line on stderr, never a stack trace.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		err = runServe(ctx, rest, stderr)
	case "migrate":
		err = runMigrate(ctx, rest, stdout, stderr)
	case "demo":
		err = runDemo(ctx, rest, stdout, stderr)
	case "user":
		err = runUser(ctx, rest, stdin, stdout, stderr)
	case "token":
		err = runToken(ctx, rest, stdout, stderr)
	case "audit":
		err = runAudit(ctx, rest, stdout, stderr)
	case "bench":
		err = runBench(ctx, rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "docket", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		err = usageError{fmt.Sprintf("unknown command %q (run docket help)", cmd)}
	}
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintln(stderr, "docket:", err)
		return 2
	default:
		fmt.Fprintln(stderr, "docket:", oneLine(err))
		return 1
	}
}

// oneLine prefers a domain error's message, which is written for people.
func oneLine(err error) string {
	if de, ok := models.AsError(err); ok && de.Message != "" {
		return de.Message
	}
	return err.Error()
}
