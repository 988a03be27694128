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

// notifyOutbox queues a notification that is delivered when tx commits
// (and dropped if it rolls back), so no listener wakes for a change that did
// not happen. PostgreSQL folds identical notifications of one transaction
// into one. On SQLite, with one server process, the app wakes its own
// streams after commit instead.
func notifyOutbox(ctx context.Context, tx *gorm.DB) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	return tx.WithContext(ctx).Exec("SELECT pg_notify(?, '')", outboxChannel).Error
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
