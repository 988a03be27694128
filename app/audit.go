package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// auditRecord describes one mutation for the audit trail.
type auditRecord struct {
	Action     string
	ObjectType string
	ObjectID   string
	Market     string
	Before     any
	After      any
}

// txWritesKey carries a write transaction's models.TxWrites: the case
// events, outbox events and audit entries it produces are written together
// just before commit (one statement on PostgreSQL). Audit entries are
// staged there and join the hash chain after commit (see sealAudit), so no
// write transaction holds the chain's lock: they commit side by side.
type txWritesKey struct{}

// txWrites is tx's pending writes, or nil outside writeTx.
func txWrites(tx *gorm.DB) *models.TxWrites {
	w, _ := tx.Statement.Context.Value(txWritesKey{}).(*models.TxWrites)
	return w
}

// addCaseEvent appends to a case's timeline in tx.
func (a *App) addCaseEvent(ctx context.Context, tx *gorm.DB, e *models.CaseEvent) error {
	if w := txWrites(tx); w != nil {
		w.Events = append(w.Events, e)
		return nil
	}
	return models.AddCaseEvent(ctx, tx, e)
}

// appendOutbox writes an outbox event in tx.
func (a *App) appendOutbox(ctx context.Context, tx *gorm.DB, e *models.OutboxEvent) error {
	if w := txWrites(tx); w != nil {
		w.Outbox = append(w.Outbox, e)
		return nil
	}
	return models.AppendOutbox(ctx, tx, e)
}

// audit records a mutation inside tx: staged with the transaction's other
// writes when tx came from writeTx, at once otherwise; either way it joins
// the hash chain when the sealer next runs after commit.
func (a *App) audit(ctx context.Context, tx *gorm.DB, actor Actor, r auditRecord) error {
	e := &models.AuditEntry{
		OccurredAt: a.now(),
		Actor:      actor.Subject(),
		ActorLabel: actor.Label,
		Action:     r.Action,
		ObjectType: r.ObjectType,
		ObjectID:   r.ObjectID,
		Market:     r.Market,
		RequestID:  actor.RequestID,
		ClientIP:   actor.ClientIP,
	}
	var err error
	if e.BeforeJSON, err = canonicalJSON(r.Before); err != nil {
		return err
	}
	if e.AfterJSON, err = canonicalJSON(r.After); err != nil {
		return err
	}
	if w := txWrites(tx); w != nil {
		w.Audit = append(w.Audit, e)
		return nil
	}
	if err := models.StageAudit(ctx, tx, e); err != nil {
		return fmt.Errorf("audit %s: %w", r.Action, err)
	}
	a.sealSoon()
	return nil
}

// sealBatch bounds one sealing transaction.
const sealBatch = 1000

// SealAudit joins every audit entry staged by committed transactions to the
// hash chain and returns how many it sealed. Readers of the audit log call
// it first, so they see every committed change; RunAuditSealer calls it
// after commits.
func (a *App) SealAudit(ctx context.Context) (int, error) {
	total := 0
	for {
		pending, err := models.AuditPending(ctx, a.read(ctx))
		if err != nil || !pending {
			return total, err
		}
		var n int
		err = a.lockedWrite(ctx, func(tx *gorm.DB) error {
			var err error
			n, err = models.SealAudit(ctx, tx, sealBatch)
			return err
		})
		total += n
		if err != nil || n < sealBatch {
			return total, err
		}
	}
}

// sealSoon asks RunAuditSealer for a round (never blocks).
func (a *App) sealSoon() {
	select {
	case a.sealWake <- struct{}{}:
	default:
	}
}

// sealPause is the least time between two sealing rounds: under load one
// round seals what many commits staged.
const sealPause = 100 * time.Millisecond

// The sealer vacuums the staging table itself once it has sealed
// vacuumPendingAfter entries, at most every vacuumPendingEvery: migration
// 00012 asks autovacuum for the same, but autovacuum may be off or busy
// elsewhere, and every sealing round reads the table.
const (
	vacuumPendingAfter = 1000
	vacuumPendingEvery = 10 * time.Second
)

// RunAuditSealer seals staged audit entries shortly after commits (and
// every second in case another process staged some) until ctx ends, then
// once more.
func (a *App) RunAuditSealer(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var sealed int         // since the last vacuum
	var vacuumed time.Time // when
	seal := func(ctx context.Context) {
		n, err := a.SealAudit(ctx)
		if err != nil && ctx.Err() == nil {
			a.log.ErrorContext(ctx, "sealing the audit log", "err", err)
		}
		if sealed += n; sealed >= vacuumPendingAfter && time.Since(vacuumed) >= vacuumPendingEvery {
			if err := models.VacuumAuditPending(ctx, a.read(ctx)); err != nil && ctx.Err() == nil {
				a.log.WarnContext(ctx, "vacuuming the audit staging table", "err", err)
			}
			sealed, vacuumed = 0, time.Now()
		}
	}
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			seal(final)
			cancel()
			return
		case <-a.sealWake:
		case <-tick.C:
		}
		seal(ctx)
		select {
		case <-ctx.Done():
		case <-time.After(sealPause):
		}
	}
}

// canonicalJSON encodes v with sorted keys (round-tripping through a map),
// or nil for nil.
func canonicalJSON(v any) (*string, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		return nil, err
	}
	b, err = json.Marshal(generic)
	if err != nil {
		return nil, err
	}
	s := string(b)
	return &s, nil
}

// AuditQuery filters the audit log.
type AuditQuery struct {
	Actor, Action, ObjectType, ObjectID, Market string
	Since, Until                                *time.Time
}

type auditCursor struct {
	Before int64 `json:"b"`
}

// auditScope limits what actor may read to the markets where they hold
// perm; entries about no market are for holders of "*" only.
func (a *App) auditScope(ctx context.Context, tx *gorm.DB, actor Actor, perm string) ([]string, error) {
	s, err := a.requireSomewhere(ctx, tx, actor, perm)
	if err != nil || s.all {
		return nil, err
	}
	return s.markets, nil
}

func (q AuditQuery) filter(markets []string) models.AuditFilter {
	return models.AuditFilter{Actor: q.Actor, Action: q.Action, ObjectType: q.ObjectType, ObjectID: q.ObjectID,
		Market: q.Market, Since: q.Since, Until: q.Until, Markets: markets}
}

// ListAudit pages the audit log newest first. Requires audit.read; the
// actor sees entries of their markets only.
func (a *App) ListAudit(ctx context.Context, actor Actor, q AuditQuery, page PageRequest) (Page[models.AuditEntry], error) {
	var cur auditCursor
	if page.Cursor != "" {
		if err := models.DecodeCursor(page.Cursor, &cur); err != nil {
			return Page[models.AuditEntry]{}, err
		}
	}
	if _, err := a.SealAudit(ctx); err != nil {
		return Page[models.AuditEntry]{}, err
	}
	var out Page[models.AuditEntry]
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		markets, err := a.auditScope(ctx, tx, actor, "audit.read")
		if err != nil {
			return err
		}
		rows, err := models.ListAudit(ctx, tx, q.filter(markets), cur.Before, page.Limit+1)
		if err != nil {
			return err
		}
		out = pageOf(rows, page.Limit, func(e models.AuditEntry) any { return auditCursor{Before: e.Seq} })
		return nil
	})
	return out, err
}

// ExportAudit streams matching entries oldest first to fn. Requires
// audit.export; market scoping as ListAudit.
func (a *App) ExportAudit(ctx context.Context, actor Actor, q AuditQuery, fn func(models.AuditEntry) error) error {
	var markets []string
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		var err error
		markets, err = a.auditScope(ctx, tx, actor, "audit.export")
		return err
	})
	if err != nil {
		return err
	}
	if _, err := a.SealAudit(ctx); err != nil {
		return err
	}
	return models.WalkAudit(ctx, a.read(ctx), q.filter(markets), fn)
}

// AuditVerification is the result of walking the chain.
type AuditVerification struct {
	OK             bool      `json:"ok"`
	EntriesChecked int64     `json:"entries_checked"`
	HeadSeq        int64     `json:"head_seq"`
	HeadHash       string    `json:"head_hash"`
	FirstBrokenSeq *int64    `json:"first_broken_seq"`
	Reason         string    `json:"reason,omitempty"`
	VerifiedAt     time.Time `json:"verified_at"`
}

// VerifyAudit walks the whole chain in order and reports the first entry
// whose sequence, link or hash is wrong. Requires audit.verify somewhere
// (the answer names sequence numbers only, never content).
func (a *App) VerifyAudit(ctx context.Context, actor Actor) (AuditVerification, error) {
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		_, err := a.requireSomewhere(ctx, tx, actor, "audit.verify")
		return err
	})
	if err != nil {
		return AuditVerification{}, err
	}
	if _, err := a.SealAudit(ctx); err != nil {
		return AuditVerification{}, err
	}
	v := AuditVerification{OK: true, HeadHash: models.GenesisHash}
	prev, want := models.GenesisHash, int64(1)
	broken := func(seq int64, reason string) {
		if v.OK {
			v.OK, v.FirstBrokenSeq, v.Reason = false, &seq, reason
		}
	}
	err = models.WalkAudit(ctx, a.read(ctx), models.AuditFilter{}, func(e models.AuditEntry) error {
		v.EntriesChecked++
		switch {
		case e.Seq != want:
			broken(e.Seq, fmt.Sprintf("sequence gap: expected entry %d, found %d", want, e.Seq))
		case e.PrevHash != prev:
			broken(e.Seq, "previous-hash link does not match the entry before it")
		case e.ComputeHash() != e.Hash:
			broken(e.Seq, "content does not match its hash (the entry was altered)")
		}
		prev, want = e.Hash, e.Seq+1
		v.HeadSeq, v.HeadHash = e.Seq, e.Hash
		return nil
	})
	v.VerifiedAt = a.now()
	return v, err
}
