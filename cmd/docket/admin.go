package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/migrations"
	"github.com/docket-tns/docket/models"
)

// listFlag collects a repeatable, comma-separable flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// openApp opens and migrates the database and builds the App for an admin
// command; the returned func seals its audit entries and closes it.
func openApp(ctx context.Context, cfg *Config) (*app.App, func(), error) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := openAndMigrate(ctx, cfg, log)
	if err != nil {
		return nil, nil, err
	}
	m, err := migrations.New(db.SQL, string(db.Dialect))
	if err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	a, err := app.New(app.Deps{DB: db, Schema: m, Logger: log, Version: version})
	if err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	// What the command staged joins the audit chain before it exits (a
	// server's sealer or the next audit read would otherwise do it).
	return a, func() { _, _ = a.SealAudit(context.WithoutCancel(ctx)); _ = db.Close() }, nil
}

// fieldsLine folds a validation error's field errors into its one line.
func fieldsLine(err error) error {
	var de *models.Error
	if errors.As(err, &de) && len(de.Fields) > 0 {
		parts := make([]string, len(de.Fields))
		for i, f := range de.Fields {
			parts[i] = f.Field + ": " + f.Message
		}
		return fmt.Errorf("%s (%s)", de.Message, strings.Join(parts, "; "))
	}
	return err
}

func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError{"user: want `docket user create --email E --name N --role R --market M`"}
	}
	var cfg Config
	var email, name, password, role string
	var markets listFlag
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	dbFlags(fs, &cfg)
	fs.StringVar(&email, "email", "", "email address (unique)")
	fs.StringVar(&name, "name", "", "display name")
	fs.StringVar(&role, "role", "", "role: "+strings.Join(app.Roles, ", "))
	fs.Var(&markets, "market", "market code, or * for all (repeat or comma-separate for several)")
	fs.StringVar(&password, "password", "", "password (default: read one line from standard input)")
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	if email == "" || name == "" || role == "" || len(markets) == 0 {
		return usageError{"user create: --email, --name, --role and --market are required"}
	}
	if password == "" {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading the password from standard input: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
		if password == "" {
			return usageError{"user create: give --password or one line on standard input"}
		}
	}
	a, done, err := openApp(ctx, &cfg)
	if err != nil {
		return err
	}
	defer done()
	in := app.NewUser{Email: email, Name: name, Password: password}
	for _, m := range markets {
		in.Grants = append(in.Grants, models.Grant{Role: role, Market: m})
	}
	u, err := a.CreateUser(ctx, app.SystemActor("cli"), in)
	if err != nil {
		return fieldsLine(err)
	}
	fmt.Fprintf(stdout, "created user %d %s (%s in %s)\n", u.ID, u.Email, role, strings.Join(markets, ", "))
	return nil
}

func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError{"token: want `docket token create --name N --scope S [--scope S...] [--market M] [--expires 720h]`"}
	}
	var cfg Config
	var name string
	var scopes, markets listFlag
	var expires time.Duration
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	dbFlags(fs, &cfg)
	fs.StringVar(&name, "name", "", "what the token is for, e.g. risk-engine-vn")
	fs.Var(&scopes, "scope", "scope: "+strings.Join(app.TokenScopes, ", ")+" (repeat or comma-separate)")
	fs.Var(&markets, "market", "market code or * (default *; repeat or comma-separate)")
	fs.DurationVar(&expires, "expires", 0, "lifetime, e.g. 720h (default: no expiry)")
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	if name == "" || len(scopes) == 0 {
		return usageError{"token create: --name and at least one --scope are required"}
	}
	if len(markets) == 0 {
		markets = listFlag{app.AllMarkets}
	}
	a, done, err := openApp(ctx, &cfg)
	if err != nil {
		return err
	}
	defer done()
	in := app.NewToken{Name: name, Scopes: scopes, Markets: markets}
	if expires > 0 {
		at := time.Now().UTC().Add(expires)
		in.ExpiresAt = &at
	}
	t, err := a.CreateToken(ctx, app.SystemActor("cli"), in)
	if err != nil {
		return fieldsLine(err)
	}
	fmt.Fprintln(stderr, "token", t.Token.ID, "created; the secret below is shown once:")
	fmt.Fprintln(stdout, t.Secret)
	return nil
}

// errChainBroken makes `docket audit verify` exit non-zero.
var errChainBroken = errors.New("audit chain broken")

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return usageError{"audit: want `docket audit verify`"}
	}
	var cfg Config
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	dbFlags(fs, &cfg)
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	a, done, err := openApp(ctx, &cfg)
	if err != nil {
		return err
	}
	defer done()
	v, err := a.VerifyAudit(ctx, app.SystemActor("cli"))
	if err != nil {
		return err
	}
	if !v.OK {
		return fmt.Errorf("%w at entry %d: %s (%d entries read)", errChainBroken, *v.FirstBrokenSeq, v.Reason, v.EntriesChecked)
	}
	fmt.Fprintf(stdout, "audit chain ok: %d entries, head %d %s\n", v.EntriesChecked, v.HeadSeq, v.HeadHash)
	return nil
}
