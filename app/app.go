// Package app holds Docket's use cases: one App with explicit dependencies.
// Every mutation authorizes, checks state, writes, and records its case event
// and audit entry inside one transaction. app knows nothing of HTTP.
package app

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
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
	// Auth tunes sessions, throttling and password hashing.
	Auth AuthSettings
	// StreamPoll is how often event streams look at the outbox when nothing
	// woke them (default 5 s): a safety net, since commits wake streams
	// in-process and, on PostgreSQL, through LISTEN/NOTIFY.
	StreamPoll time.Duration
	// Webhooks tunes webhook delivery.
	Webhooks WebhookSettings
	// Rules tunes rule evaluation and backtests.
	Rules RuleSettings
	// QueueCounts tunes the rollup queue counts are read from.
	QueueCounts QueueCountsSettings
}

// App is the use-case layer.
type App struct {
	db        *models.Database
	schema    SchemaVersions
	log       *slog.Logger
	version   string
	now       func() time.Time
	startedAt time.Time
	authz     *authorizer
	auth      AuthSettings
	// writeMu serialises this process's write transactions on SQLite, the
	// single-writer store: waiting on a Go mutex is fair and never fails,
	// where SQLite's busy handler polls and gives up after its timeout.
	writeMu    *sync.Mutex
	cache      *refCache
	streamPoll time.Duration
	wake       *wakeHub
	// sealWake asks RunAuditSealer for a round after a commit staged audit entries.
	sealWake  chan struct{}
	hooks     WebhookSettings
	rules     RuleSettings
	engine    *ruleEngine
	backtests *backtestRunner
	counts    QueueCountsSettings
	// countsCache is the queue counts rollup as last read, by its as_of.
	countsCache *queueCountsCache
	announcer   *outboxAnnouncer
}

// New builds an App.
func New(d Deps) (*App, error) {
	z, err := newAuthorizer()
	if err != nil {
		return nil, err
	}
	a := &App{db: d.DB, schema: d.Schema, log: d.Logger, version: d.Version, now: d.Now, authz: z, auth: d.Auth.withDefaults(),
		writeMu: &sync.Mutex{}, cache: &refCache{policies: map[string]models.Policy{}}, streamPoll: d.StreamPoll, wake: newWakeHub(), sealWake: make(chan struct{}, 1), hooks: d.Webhooks.withDefaults(),
		rules: d.Rules.withDefaults(), engine: &ruleEngine{suspended: map[int64]time.Time{}}, backtests: newBacktestRunner(),
		counts: d.QueueCounts.withDefaults(), countsCache: &queueCountsCache{}, announcer: &outboxAnnouncer{}}
	if a.streamPoll <= 0 {
		a.streamPoll = 5 * time.Second
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.now == nil {
		a.now = time.Now
	}
	// Microseconds, UTC: what PostgreSQL stores, so a value read back
	// equals the value written on both databases.
	clock := a.now
	a.now = func() time.Time { return clock().UTC().Truncate(time.Microsecond) }
	if a.version == "" {
		a.version = "dev"
	}
	a.startedAt = a.now()
	return a, nil
}

// inTx runs fn in one database transaction, committed when fn returns nil.
// On SQLite it takes the write lock at BEGIN. A commit wakes this
// instance's event streams (other instances hear of it by NOTIFY, sent
// after commit when the transaction wrote outbox events).
func (a *App) inTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := a.writeTx(ctx, fn)
	if err == nil {
		a.wake.wake()
	}
	return err
}

func (a *App) writeTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	w := &models.TxWrites{}
	staged, announce := false, false
	err := a.lockedWrite(context.WithValue(ctx, txWritesKey{}, w), func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		staged, announce = len(w.Audit) > 0, len(w.Outbox) > 0
		return models.FlushTxWrites(ctx, tx, w)
	})
	if err == nil {
		a.afterWrite(staged, announce)
	}
	return err
}

// afterWrite is what follows a committed write: the sealer is asked to
// chain the audit entries it staged, and other servers are told of its
// outbox events.
func (a *App) afterWrite(staged, announce bool) {
	if staged {
		a.sealSoon()
	}
	if announce {
		a.announceOutbox()
	}
}

// lockedWrite runs fn in a write transaction (under the process's write
// lock on SQLite).
func (a *App) lockedWrite(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if a.db.Dialect == models.SQLite {
		a.writeMu.Lock()
		defer a.writeMu.Unlock()
	}
	return a.db.Gorm.WithContext(withAuthzCheck(ctx)).Transaction(fn)
}

// inReadTx runs a read-only use case in one consistent snapshot without
// taking SQLite's write lock (readers never wait for writers under WAL).
// On PostgreSQL that takes REPEATABLE READ: under the default READ
// COMMITTED each statement would see what committed before it, so a case
// page could show a case as it was and a decision made since. A read-only
// transaction at that level never fails to serialise, and costs no more.
func (a *App) inReadTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if a.db.Dialect == models.Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return a.db.Gorm.WithContext(withAuthzCheck(ctx)).Transaction(fn, opts)
}

// Dialect is the store's dialect.
func (a *App) Dialect() models.Dialect { return a.db.Dialect }

// read is the handle for queries outside a transaction.
func (a *App) read(ctx context.Context) *gorm.DB { return a.db.Gorm.WithContext(ctx) }
