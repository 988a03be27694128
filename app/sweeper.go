package app

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// SweepResult counts what one sweep did.
type SweepResult struct {
	LeasesExpired int
	Breaches      int
	// Reprioritised counts cases whose priority moved up as their
	// deadline approached.
	Reprioritised int
}

const sweepBatch = 200

// ruleAlertInterval is how often the leader looks for rule quality alerts.
const ruleAlertInterval = 10 * time.Minute

// slaBreachReason is the escalation reason of a case the sweeper escalated
// because its SLA ran out.
const slaBreachReason = "sla_breach"

// Sweep runs one pass of the background work: claims whose lease ended
// return to their queue, and cases past their SLA are escalated to leads
// with reason sla_breach, once. Each case is handled in its own
// transaction that re-checks the condition under the row lock, so two
// sweepers racing never act twice.
func (a *App) Sweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	sweeper := SystemActor("sweeper")
	now := a.now()
	ids, err := models.ExpiredLeases(ctx, a.read(ctx), now, sweepBatch)
	if err != nil {
		return res, err
	}
	for _, id := range ids {
		done, err := a.sweepCase(ctx, id, func(tx *gorm.DB, c *models.Case) (bool, error) {
			if c.Status != models.StatusInReview || c.ClaimExpiresAt == nil || !c.ClaimExpiresAt.Before(a.now()) {
				return false, nil
			}
			return true, a.applyAction(ctx, tx, sweeper, c, models.ActionRelease, CaseActionInput{Version: c.Version, Reason: "lease_expired"})
		})
		if err != nil {
			return res, err
		}
		if done {
			res.LeasesExpired++
		}
	}
	ids, err = models.BreachedUnescalated(ctx, a.read(ctx), now, sweepBatch)
	if err != nil {
		return res, err
	}
	for _, id := range ids {
		done, err := a.sweepCase(ctx, id, func(tx *gorm.DB, c *models.Case) (bool, error) {
			if c.SLABreachEscalatedAt != nil || !c.SLADueAt.Before(a.now()) || (c.Status != models.StatusNew && c.Status != models.StatusTriaged && c.Status != models.StatusInReview) {
				return false, nil
			}
			if c.Status == models.StatusNew {
				if err := a.applyAction(ctx, tx, sweeper, c, models.ActionTriage, CaseActionInput{Version: c.Version}); err != nil {
					return false, err
				}
			}
			at := a.now()
			c.SLABreachEscalatedAt = &at
			return true, a.applyAction(ctx, tx, sweeper, c, models.ActionEscalate, CaseActionInput{Version: c.Version, Reason: slaBreachReason})
		})
		if err != nil {
			return res, err
		}
		if done {
			res.Breaches++
		}
	}
	res.Reprioritised, err = a.refreshPriorities(ctx, now)
	return res, err
}

// refreshPriorities recomputes the priority of cases whose SLA urgency
// moved up a step since it was stored, so claim-next keeps serving the
// most urgent case as deadlines approach. One transaction per batch: the
// batch's subjects in one read, its priorities in one write.
func (a *App) refreshPriorities(ctx context.Context, now time.Time) (int, error) {
	ids, err := models.StalePriorities(ctx, a.read(ctx), now, sweepBatch)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	done := 0
	err = a.writeTx(ctx, func(tx *gorm.DB) error {
		cases, err := models.LockStalePriorities(ctx, tx, ids, now)
		if err != nil || len(cases) == 0 {
			return err
		}
		subjectIDs := make([]int64, 0, len(cases))
		for _, c := range cases {
			subjectIDs = append(subjectIDs, c.SubjectID)
		}
		subjects, err := models.FindSubjects(ctx, tx, subjectIDs)
		if err != nil {
			return err
		}
		byID := make(map[int64]models.Subject, len(subjects))
		for _, s := range subjects {
			byID[s.ID] = s
		}
		updates := make([]models.PriorityUpdate, 0, len(cases))
		for _, c := range cases {
			p, err := a.policy(ctx, tx, c.PolicyCode)
			if err != nil {
				return err
			}
			s, ok := byID[c.SubjectID]
			if !ok {
				return fmt.Errorf("case %d: subject %d not found", c.ID, c.SubjectID)
			}
			a.applyPriority(&c, p, s)
			updates = append(updates, models.PriorityUpdate{ID: c.ID, Priority: c.Priority, RefreshAt: c.PriorityRefreshAt})
		}
		if err := models.SetPriorities(ctx, tx, updates, a.now()); err != nil {
			return err
		}
		done = len(updates)
		return nil
	})
	return done, err
}

func (a *App) sweepCase(ctx context.Context, id int64, fn func(tx *gorm.DB, c *models.Case) (bool, error)) (bool, error) {
	done := false
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		c, err := models.LockCase(ctx, tx, id)
		if err != nil {
			return err
		}
		done, err = fn(tx, &c)
		return err
	})
	return done, err
}

// Leader says whether this instance runs the background work. On
// PostgreSQL leadership is a session advisory lock held on a dedicated
// connection, so exactly one server sweeps at a time and another takes
// over when it dies; SQLite has one server, which always leads.
type Leader struct {
	db   *models.Database
	key  int64
	conn *sql.Conn
}

const (
	leaderLockKey       = 0x7377656570   // "sweep"
	countsLeaderLockKey = 0x71636f756e74 // "qcount"
)

// NewLeader prepares leader election on db for the sweeper.
func NewLeader(db *models.Database) *Leader { return &Leader{db: db, key: leaderLockKey} }

// NewQueueCountsLeader prepares leader election on db for refreshing the
// queue counts rollup (RunQueueCounts).
func NewQueueCountsLeader(db *models.Database) *Leader {
	return &Leader{db: db, key: countsLeaderLockKey}
}

// Acquire tries to become (or checks it still is) the leader.
func (l *Leader) Acquire(ctx context.Context) (bool, error) {
	if l.db.Dialect != models.Postgres {
		return true, nil
	}
	if l.conn != nil {
		if err := l.conn.PingContext(ctx); err == nil {
			return true, nil
		}
		_ = l.conn.Close() // the session, and the lock with it, is gone
		l.conn = nil
	}
	conn, err := l.db.SQL.Conn(ctx)
	if err != nil {
		return false, err
	}
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", l.key).Scan(&got); err != nil {
		_ = conn.Close()
		return false, err
	}
	if !got {
		_ = conn.Close()
		return false, nil
	}
	l.conn = conn
	return true, nil
}

// Release gives leadership up.
func (l *Leader) Release() {
	if l.conn != nil {
		_, _ = l.conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", l.key)
		_ = l.conn.Close()
		l.conn = nil
	}
}

// RunSweeper sweeps every interval while this instance leads, until ctx
// ends; then it releases leadership and returns.
func (a *App) RunSweeper(ctx context.Context, leader *Leader, interval time.Duration) {
	defer leader.Release()
	t := time.NewTicker(interval)
	defer t.Stop()
	var alertsChecked time.Time
	for {
		lead, err := leader.Acquire(ctx)
		if err != nil && ctx.Err() == nil {
			a.log.WarnContext(ctx, "leader election failed", "err", err)
		}
		if lead {
			res, err := a.Sweep(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				a.log.ErrorContext(ctx, "sweep failed", "err", err)
			case res.LeasesExpired+res.Breaches > 0:
				a.log.InfoContext(ctx, "sweep", "leases_expired", res.LeasesExpired, "sla_breaches", res.Breaches,
					"reprioritised", res.Reprioritised)
			}
			if time.Since(alertsChecked) >= ruleAlertInterval {
				alertsChecked = time.Now()
				if n, err := a.CheckRuleAlerts(ctx); err != nil && ctx.Err() == nil {
					a.log.ErrorContext(ctx, "rule alerts failed", "err", err)
				} else if n > 0 {
					a.log.InfoContext(ctx, "rule alerts raised", "alerts", n)
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
