// Package app holds Docket's use cases: one App with explicit dependencies.
// Every mutation authorizes, checks state, writes, and records its case event
// and audit entry inside one transaction. app knows nothing of HTTP.
package app

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// SchemaVersions reports the applied and the latest schema version.
type SchemaVersions interface {
	Versions(ctx context.Context) (current, latest int64, err error)
}

// Deps are everything an App needs; nothing is reached through globals.
type Deps struct {
	DB      *models.Database
	Schema  SchemaVersions
	Logger  *slog.Logger
	Version string
	// Now is the clock; tests pin it. Defaults to time.Now in UTC.
	Now func() time.Time
}

// App is the use-case layer.
type App struct {
	db        *models.Database
	schema    SchemaVersions
	log       *slog.Logger
	version   string
	now       func() time.Time
	startedAt time.Time
}

// New builds an App.
func New(d Deps) *App {
	a := &App{db: d.DB, schema: d.Schema, log: d.Logger, version: d.Version, now: d.Now}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.now == nil {
		a.now = func() time.Time { return time.Now().UTC() }
	}
	if a.version == "" {
		a.version = "dev"
	}
	a.startedAt = a.now()
	return a
}

// Dialect is the store's dialect.
func (a *App) Dialect() models.Dialect { return a.db.Dialect }

// read is the handle for queries outside a transaction.
func (a *App) read(ctx context.Context) *gorm.DB { return a.db.Gorm.WithContext(ctx) }
