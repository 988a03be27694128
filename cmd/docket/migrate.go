package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/docket-tns/docket/migrations"
	"github.com/docket-tns/docket/models"
)

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	dbFlags(fs, &cfg)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"migrate: want one of up, down, status"}
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	verb := fs.Arg(0)
	if verb != "up" && verb != "down" && verb != "status" {
		return usageError{fmt.Sprintf("migrate: unknown action %q; want up, down or status", verb)}
	}
	db, err := models.OpenDatabase(ctx, models.DatabaseOptions{URL: cfg.DB, MaxOpenConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := migrations.New(db.SQL, string(db.Dialect))
	if err != nil {
		return err
	}
	switch verb {
	case "up":
		n, err := m.Up(ctx)
		if err != nil {
			return err
		}
		cur, _, _ := m.Versions(ctx)
		fmt.Fprintf(stdout, "applied %d migration(s); schema version %d\n", n, cur)
	case "down":
		v, err := m.Down(ctx)
		if err != nil {
			return err
		}
		if v == 0 {
			fmt.Fprintln(stdout, "nothing to roll back")
			return nil
		}
		fmt.Fprintf(stdout, "rolled back migration %d\n", v)
	case "status":
		st, err := m.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(stdout, "%-8s %5d  %s\n", state, s.Version, s.Name)
		}
	}
	return nil
}
