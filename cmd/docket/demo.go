package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/docket-tns/docket/app"
)

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	dbFlags(fs, &cfg)
	if err := parseFlags(fs, args, stderr); err != nil {
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
	sum, err := a.LoadDemo(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo data ready: %d users created, %d already there; %d cases opened\n", sum.UsersCreated, sum.UsersKept, sum.CasesCreated)
	fmt.Fprintf(stdout, "log in at the server with any of these (password %q):\n", app.DemoPassword)
	for _, u := range app.DemoUsers {
		fmt.Fprintf(stdout, "  %-30s %-8s %v\n", u.Email, u.Role, u.Markets)
	}
	return nil
}
