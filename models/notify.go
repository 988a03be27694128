package models

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// outboxChannel is the PostgreSQL notification channel that says "the
// outbox has new events". The payload is empty: listeners read the outbox.
const outboxChannel = "docket_outbox"

// NotifyOutbox tells every server listening on PostgreSQL that the
// outbox has new events. Call it after the transaction that wrote them
// has committed, on a handle outside any transaction (it commits at once),
// so no listener wakes for a change that did not happen. On SQLite, with
// one server process, the app wakes its own streams instead (no-op here).
//
// Why never inside the writing transaction: a transaction that NOTIFYs
// takes a cluster-wide lock at commit and holds it through its WAL flush,
// so every such commit waits for the one before it (no group commit).
// Measured with docket bench, that one statement halved claim throughput.
func NotifyOutbox(ctx context.Context, db *gorm.DB) error {
	if db.Dialector.Name() != "postgres" {
		return nil
	}
	return db.WithContext(ctx).Exec("SELECT pg_notify(?, '')", outboxChannel).Error
}

// ListenOutbox holds a dedicated PostgreSQL connection listening for outbox
// notifications and calls wake for each (and once when listening starts,
// so a reconnecting listener catches up). It returns when ctx ends or the
// connection fails; the connection is then discarded, never returned to the
// pool still listening.
func ListenOutbox(ctx context.Context, db *Database, wake func()) error {
	if db.Dialect != Postgres {
		return fmt.Errorf("LISTEN needs PostgreSQL, not %s", db.Dialect)
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("unexpected PostgreSQL driver connection %T", dc)
		}
		pc := sc.Conn()
		if _, err := pc.Exec(ctx, "LISTEN "+outboxChannel); err != nil {
			return errors.Join(err, driver.ErrBadConn)
		}
		wake()
		for {
			if _, err := pc.WaitForNotification(ctx); err != nil {
				return errors.Join(err, driver.ErrBadConn)
			}
			wake()
		}
	})
}
