package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// QueueView is a queue with its counts, as of the last refresh of the
// counts rollup (CountsAsOf; nil if it never ran).
type QueueView struct {
	ID            int64              `json:"id"`
	Name          string             `json:"name"`
	Description   string             `json:"description"`
	Kind          string             `json:"kind"`
	Markets       []string           `json:"markets"`
	Policies      []string           `json:"policies"`
	Severities    []string           `json:"severities"`
	EmergencyOnly bool               `json:"emergency_only"`
	Version       int                `json:"version"`
	Counts        models.QueueCounts `json:"counts"`
	CountsAsOf    *time.Time         `json:"counts_as_of"`
	OldestAgeSec  *int64             `json:"oldest_age_seconds"`
}

func fieldsOrEmpty(s string) []string {
	if f := strings.Fields(s); f != nil {
		return f
	}
	return []string{}
}

// queueCounts is the counts rollup and when it was refreshed (read
// as_of first: the rows are then at least that fresh).
type queueCounts struct {
	asOf *time.Time
	rows []models.CaseCountRow
	sums *queueSums // nil: summed on every call
}

// queueSums keeps each queue definition's counts over one reading of the
// rollup: every GET /queues between two refreshes asks for the same sums
// (summing every queue over every row was a fifth of the server's CPU
// beside a lead's queue page refreshing in a loop).
type queueSums struct {
	mu sync.Mutex
	of map[queueDefinition]models.QueueCounts
}

// queueDefinition is what a queue's counts depend on.
type queueDefinition struct {
	name, kind, markets, policies, severities string
	emergencyOnly                             bool
}

// countsOf sums a queue's counts over the rollup's rows, once per queue
// definition and reading.
func (qc queueCounts) countsOf(q models.Queue) models.QueueCounts {
	if qc.sums == nil {
		return models.CountQueue(q, qc.rows)
	}
	def := queueDefinition{name: q.Name, kind: q.Kind, markets: q.Markets, policies: q.Policies, severities: q.Severities, emergencyOnly: q.EmergencyOnly}
	qc.sums.mu.Lock()
	defer qc.sums.mu.Unlock()
	c, ok := qc.sums.of[def]
	if !ok {
		c = models.CountQueue(q, qc.rows)
		qc.sums.of[def] = c
	}
	return c
}

// readQueueCounts reads the rollup, or takes it from memory when it has
// not been refreshed since it was last read here: between refreshes every
// GET /queues on this server then costs one tiny query for the counts.
func (a *App) readQueueCounts(ctx context.Context, tx *gorm.DB) (queueCounts, error) {
	return a.readQueueCountsAsOf(ctx, tx, nil)
}

// readQueueCountsAsOf is readQueueCounts with the refresh time already
// read (nil: read it).
func (a *App) readQueueCountsAsOf(ctx context.Context, tx *gorm.DB, asOf *time.Time) (queueCounts, error) {
	if asOf == nil {
		var err error
		if asOf, err = models.CaseCountsAsOf(ctx, tx); err != nil || asOf == nil {
			return queueCounts{}, err
		}
	}
	cache := a.countsCache
	cache.mu.Lock()
	cached := cache.last
	cache.mu.Unlock()
	if cached.asOf != nil && cached.asOf.Equal(*asOf) {
		return cached, nil
	}
	rows, err := models.CaseCountRows(ctx, tx)
	if err != nil {
		return queueCounts{}, err
	}
	// Read after as_of, the rows are at least that fresh; a refresh
	// committed in between makes them fresher, and the next read with the
	// new as_of replaces them.
	qc := queueCounts{asOf: asOf, rows: rows, sums: &queueSums{of: map[queueDefinition]models.QueueCounts{}}}
	cache.mu.Lock()
	if cache.last.asOf == nil || !cache.last.asOf.After(*asOf) {
		cache.last = qc
	}
	cache.mu.Unlock()
	return qc, nil
}

// queueCountsCache holds the rollup as last read on this server.
type queueCountsCache struct {
	mu   sync.Mutex
	last queueCounts
}

// forget drops the cached rollup (a refresh here may keep its as_of when
// the clock is pinned, as in tests).
func (c *queueCountsCache) forget() {
	c.mu.Lock()
	c.last = queueCounts{}
	c.mu.Unlock()
}

// queueView shows q with its counts from the rollup.
func (a *App) queueView(q models.Queue, qc queueCounts) QueueView {
	now := a.now()
	counts := qc.countsOf(q)
	v := QueueView{ID: q.ID, Name: q.Name, Description: q.Description, Kind: q.Kind, Markets: q.MarketList(),
		Policies: fieldsOrEmpty(q.Policies), Severities: fieldsOrEmpty(q.Severities), EmergencyOnly: q.EmergencyOnly,
		Version: q.Version, Counts: counts, CountsAsOf: qc.asOf}
	if counts.Oldest != nil {
		age := int64(now.Sub(*counts.Oldest).Seconds())
		v.OldestAgeSec = &age
	}
	return v
}

// queueVisible: the actor reads queues of markets where they hold queue.read
// (or queue.manage); a queue spanning markets shows if any is theirs.
func queueVisible(read, manage scope, q models.Queue) bool {
	for _, m := range q.MarketList() {
		if read.has(m) || manage.has(m) {
			return true
		}
	}
	return false
}

// ListQueues returns the queues the actor may see, with their counts from
// the rollup (refreshed first if it is stale: no leader keeping it fresh).
// Its reads need no transaction: the queue list and the counts are each
// one statement, and the counts are as of the refresh time they show.
func (a *App) ListQueues(ctx context.Context, actor Actor) ([]QueueView, error) {
	asOf := a.freshenQueueCounts(ctx)
	db := a.read(withAuthzCheck(ctx))
	read, err := a.scopeOf(ctx, db, actor, "queue.read")
	if err != nil {
		return nil, err
	}
	manage, err := a.scopeOf(ctx, db, actor, "queue.manage")
	if err != nil {
		return nil, err
	}
	if read.empty() && manage.empty() {
		return nil, models.Errorf(models.KindForbidden, "forbidden", "you may not see queues")
	}
	qs, err := models.ListQueues(ctx, db)
	if err != nil {
		return nil, err
	}
	qc, err := a.readQueueCountsAsOf(ctx, db, asOf)
	if err != nil {
		return nil, err
	}
	out := []QueueView{}
	for _, q := range qs {
		if queueVisible(read, manage, q) {
			out = append(out, a.queueView(q, qc))
		}
	}
	return out, nil
}

// QueueInput defines a queue.
type QueueInput struct {
	Name          string   `json:"name"`
	Description   string   `json:"description"`
	Kind          string   `json:"kind"`
	Markets       []string `json:"markets"`
	Policies      []string `json:"policies"`
	Severities    []string `json:"severities"`
	EmergencyOnly bool     `json:"emergency_only"`
	Version       int      `json:"version"`
}

func (a *App) validateQueue(ctx context.Context, tx *gorm.DB, in *QueueInput) error {
	var fields []models.FieldError
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" || len(in.Name) > 80 {
		fields = append(fields, models.FieldError{Field: "name", Code: "required", Message: "1 to 80 characters"})
	}
	if in.Kind == "" {
		in.Kind = "review"
	}
	if in.Kind != "review" && in.Kind != "escalation" {
		fields = append(fields, models.FieldError{Field: "kind", Code: "invalid_kind", Message: "review or escalation"})
	}
	if len(in.Markets) == 0 {
		fields = append(fields, models.FieldError{Field: "markets", Code: "required", Message: "at least one market"})
	}
	for i, m := range in.Markets {
		if _, err := models.FindMarket(ctx, tx, m); err != nil {
			fields = append(fields, models.FieldError{Field: fmt.Sprintf("markets[%d]", i), Code: "unknown_market", Message: "a market code"})
		}
	}
	for i, p := range in.Policies {
		if _, err := models.FindPolicy(ctx, tx, p); err != nil {
			fields = append(fields, models.FieldError{Field: fmt.Sprintf("policies[%d]", i), Code: "unknown_policy", Message: "a policy code"})
		}
	}
	for i, s := range in.Severities {
		if models.SeverityRank(s) == 0 {
			fields = append(fields, models.FieldError{Field: fmt.Sprintf("severities[%d]", i), Code: "unknown_severity", Message: "critical, high, medium or low"})
		}
	}
	if len(fields) > 0 {
		return models.Invalid("invalid_queue", "the queue is not valid", fields...)
	}
	return nil
}

func sortedJoin(xs []string) string {
	return strings.Join(slices.Compact(slices.Sorted(slices.Values(xs))), " ")
}

// CreateQueue defines a queue. Requires queue.manage in every market it
// covers (admins, and leads of those markets).
func (a *App) CreateQueue(ctx context.Context, actor Actor, in QueueInput) (QueueView, error) {
	var out QueueView
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		if err := a.validateQueue(ctx, tx, &in); err != nil {
			return err
		}
		for _, m := range in.Markets {
			if err := a.Can(ctx, tx, actor, "queue.manage", m); err != nil {
				return err
			}
		}
		now := a.now()
		q := &models.Queue{Name: in.Name, Description: strings.TrimSpace(in.Description), Kind: in.Kind, Markets: sortedJoin(in.Markets),
			Policies: sortedJoin(in.Policies), Severities: sortedJoin(in.Severities), EmergencyOnly: in.EmergencyOnly,
			CreatedBy: actor.Subject(), CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := models.CreateQueue(ctx, tx, q); err != nil {
			return err
		}
		qc, err := a.readQueueCounts(ctx, tx)
		if err != nil {
			return err
		}
		out = a.queueView(*q, qc)
		return a.audit(ctx, tx, actor, auditRecord{Action: "queue.create", ObjectType: "queue", ObjectID: fmt.Sprint(q.ID),
			Market: singleMarket(q.MarketList()), After: in})
	})
	return out, err
}

// UpdateQueue redefines a queue (version-checked). Requires queue.manage
// in every market it covers, before and after.
func (a *App) UpdateQueue(ctx context.Context, actor Actor, id int64, in QueueInput) (QueueView, error) {
	var out QueueView
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		q, err := models.FindQueue(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := a.queueVisibleTo(ctx, tx, actor, q); err != nil {
			return err
		}
		if err := a.validateQueue(ctx, tx, &in); err != nil {
			return err
		}
		for _, m := range append(q.MarketList(), in.Markets...) {
			if err := a.Can(ctx, tx, actor, "queue.manage", m); err != nil {
				return err
			}
		}
		if in.Version != q.Version {
			e := models.Errorf(models.KindConflict, "version_conflict", "queue %d changed since you loaded it", id)
			e.Extra = map[string]any{"current_version": q.Version}
			return e
		}
		before := q
		q.Name, q.Description, q.Kind = in.Name, strings.TrimSpace(in.Description), in.Kind
		q.Markets, q.Policies, q.Severities, q.EmergencyOnly = sortedJoin(in.Markets), sortedJoin(in.Policies), sortedJoin(in.Severities), in.EmergencyOnly
		q.UpdatedAt, q.Version = a.now(), q.Version+1
		res := tx.WithContext(ctx).Model(&models.Queue{}).Where("id = ? AND version = ?", id, before.Version).Select("*").Omit("id", "created_at", "created_by").Updates(&q)
		if res.Error != nil {
			return res.Error
		}
		if before.Name != q.Name {
			// Cases routed to the queue keep following it under its new name.
			if err := tx.WithContext(ctx).Model(&models.Case{}).Where("queue = ?", before.Name).Update("queue", q.Name).Error; err != nil {
				return err
			}
		}
		qc, err := a.readQueueCounts(ctx, tx)
		if err != nil {
			return err
		}
		out = a.queueView(q, qc)
		return a.audit(ctx, tx, actor, auditRecord{Action: "queue.update", ObjectType: "queue", ObjectID: fmt.Sprint(id),
			Market: singleMarket(q.MarketList()), Before: before, After: q})
	})
	a.forgetQueue(id)
	return out, err
}

// ClaimNextCase leases the most urgent claimable case of a queue to the
// actor: triaged, unassigned, in a market where they hold case.claim, and
// never an appeal of a decision they made. Two reviewers never get the same
// case. An empty queue is 404 queue_empty. The case page is read after the
// claim commits, so the claim's transaction stays short.
func (a *App) ClaimNextCase(ctx context.Context, actor Actor, queueID int64) (CaseDetail, error) {
	claimed, err := a.ClaimNextMinimal(ctx, actor, queueID)
	if err != nil {
		return CaseDetail{}, err
	}
	return a.caseAfterChange(ctx, actor, claimed.ID)
}

// ClaimedCase is what a claim changed, for clients that load the case page
// themselves (the SPA, machines, load tests).
type ClaimedCase struct {
	ID             int64      `json:"id"`
	Version        int        `json:"version"`
	Status         string     `json:"status"`
	Market         string     `json:"market"`
	Policy         string     `json:"policy"`
	Severity       string     `json:"severity"`
	Queue          *string    `json:"queue"`
	AssigneeID     *int64     `json:"assignee_id"`
	ClaimExpiresAt *time.Time `json:"claim_expires_at"`
}

// ClaimNextMinimal is ClaimNextCase without the case page: the claim, and
// nothing else, in one short transaction.
func (a *App) ClaimNextMinimal(ctx context.Context, actor Actor, queueID int64) (ClaimedCase, error) {
	if actor.Kind != ActorUser {
		return ClaimedCase{}, models.Errorf(models.KindForbidden, "not_a_person", "only a person can claim a case")
	}
	c, claimed, err := a.claimInOneStatement(ctx, actor, queueID)
	if err != nil {
		return ClaimedCase{}, err
	}
	if !claimed {
		c, err = a.claimInTx(ctx, actor, queueID)
	}
	if err != nil {
		return ClaimedCase{}, err
	}
	return ClaimedCase{ID: c.ID, Version: c.Version, Status: string(c.Status), Market: c.Market, Policy: c.PolicyCode,
		Severity: c.Severity, Queue: c.Queue, AssigneeID: c.AssigneeID, ClaimExpiresAt: c.ClaimExpiresAt}, nil
}

// ClaimNext is ClaimNextMinimal's id and version.
func (a *App) ClaimNext(ctx context.Context, actor Actor, queueID int64) (id int64, version int, err error) {
	c, err := a.ClaimNextMinimal(ctx, actor, queueID)
	return c.ID, c.Version, err
}

// claimInTx is claim-next's general path: claimNext in a transaction.
func (a *App) claimInTx(ctx context.Context, actor Actor, queueID int64) (models.Case, error) {
	var c models.Case
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		var err error
		c, err = a.claimNext(ctx, tx, actor, queueID)
		return err
	})
	return c, err
}

func (a *App) claimNext(ctx context.Context, tx *gorm.DB, actor Actor, queueID int64) (models.Case, error) {
	var c models.Case
	err := func() error {
		q, err := a.queue(ctx, tx, queueID)
		if err != nil {
			return err
		}
		claim, err := a.scopeOf(ctx, tx, actor, "case.claim")
		if err != nil {
			return err
		}
		var markets []string
		for _, m := range q.MarketList() {
			if claim.has(m) {
				markets = append(markets, m)
			}
		}
		if len(markets) == 0 {
			if err := a.queueVisibleTo(ctx, tx, actor, q); err != nil {
				return err
			}
			return models.Errorf(models.KindForbidden, "forbidden", "you may not claim cases from this queue")
		}
		if q.Kind != "review" {
			return models.Errorf(models.KindConflict, "not_claimable_queue", "cases are not claimed from an escalation queue; leads assign or resolve them")
		}
		if c, err = models.LockNextClaimable(ctx, tx, q, markets, actor.ID); err != nil {
			return err
		}
		return a.applyAction(ctx, tx, actor, &c, models.ActionClaim, CaseActionInput{Version: c.Version})
	}()
	return c, err
}

// claimInOneStatement is claim-next's fast path on PostgreSQL, for the
// common case: a review queue of the actor's markets with a claimable
// case, authorized at the policy revision their session carries. It
// claims with one statement (models.ClaimInOneStatement) that writes what
// claimNext's transaction writes. claimed is false, with nothing changed,
// whenever the general path must decide instead: SQLite, another kind of
// queue or actor, a policy revision that moved, an empty queue (which the
// general path then reports).
func (a *App) claimInOneStatement(ctx context.Context, actor Actor, queueID int64) (models.Case, bool, error) {
	rev := actor.authzRevision
	if a.db.Dialect != models.Postgres || actor.Kind != ActorUser || rev == 0 || a.authz.currentRevision() != rev {
		return models.Case{}, false, nil
	}
	db := a.read(ctx)
	q, err := a.queue(ctx, db, queueID)
	if err != nil || q.Kind != "review" {
		return models.Case{}, false, nil
	}
	claim, err := a.scopeOf(ctx, db, actor, "case.claim")
	if err != nil || a.authz.currentRevision() != rev {
		return models.Case{}, false, nil // the policy moved while we read it
	}
	var markets []string
	for _, m := range q.MarketList() {
		if claim.has(m) {
			markets = append(markets, m)
		}
	}
	if len(markets) == 0 {
		return models.Case{}, false, nil
	}
	t, err := models.FindTransition(models.StatusTriaged, models.ActionClaim)
	if err != nil {
		return models.Case{}, false, err
	}
	data, err := json.Marshal(map[string]any{"from": t.From, "to": t.To})
	if err != nil {
		return models.Case{}, false, err
	}
	label, err := json.Marshal(actor.Label)
	if err != nil {
		return models.Case{}, false, err
	}
	now := a.now()
	c, err := models.ClaimInOneStatement(ctx, db, q, markets, models.ClaimStatement{
		From: t.From, To: t.To, AssigneeID: actor.ID, ExpiresAt: now.Add(ClaimLease), Now: now,
		AuthzRevision: rev, ExcludeDecider: actor.ID,
		EventType: string(models.ActionClaim), EventData: string(data), Actor: actor.Subject(),
		ActorLabel: actor.Label, ActorLabelJSON: string(label), OutboxType: caseUpdatedEvent,
		AuditAction: "case." + string(models.ActionClaim), RequestID: actor.RequestID, ClientIP: actor.ClientIP,
	})
	if models.KindOf(err) == models.KindNotFound {
		return models.Case{}, false, nil
	}
	if err != nil {
		return models.Case{}, false, err
	}
	a.wake.wake()
	a.afterWrite(true, true)
	return c, true, nil
}

// queueVisibleTo answers 404 for a queue of markets the actor has no part in.
func (a *App) queueVisibleTo(ctx context.Context, tx *gorm.DB, actor Actor, q models.Queue) error {
	read, err := a.scopeOf(ctx, tx, actor, "queue.read")
	if err != nil {
		return err
	}
	manage, err := a.scopeOf(ctx, tx, actor, "queue.manage")
	if err != nil {
		return err
	}
	if !queueVisible(read, manage, q) {
		return models.Errorf(models.KindNotFound, "queue_not_found", "queue %d does not exist", q.ID)
	}
	return nil
}
