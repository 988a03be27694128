package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
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
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := openAndMigrate(ctx, &cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	var markets int64
	if err := db.Gorm.WithContext(ctx).Table("markets").Count(&markets).Error; err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo data ready: %d markets\n", markets)
	return nil
}
