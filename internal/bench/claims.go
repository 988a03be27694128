package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Targets, as the performance issue sets them.
const (
	targetClaimRatio      = 0.50
	targetClaimP99        = 10 * time.Millisecond
	targetDashboardRatio  = 0.70
	targetPeakRSS         = 256 << 20
	targetChurnRatio      = 0.80
	targetIngestRatio     = 0.60
	targetRuleCPUShare    = 0.10
	targetSQLiteScaling   = 0.90
	dashboardTargetLater  = "with the dashboard issue"
	rawClaimBaselineLabel = "raw pgx SKIP LOCKED + UPDATE loop"
)

// The baseline's claim: the same table, the same partial index and order,
// the same lock, no application around it.
const (
	rawLockSQL = `SELECT id FROM cases WHERE market = $1 AND status = 'triaged' AND assignee_id IS NULL
		ORDER BY priority DESC, id LIMIT 1 FOR UPDATE SKIP LOCKED`
	rawClaimSQL = `UPDATE cases SET status = 'in_review', assignee_id = $2, claim_expires_at = now() + interval '15 minutes',
		updated_at = now(), version = version + 1 WHERE id = $1`
)

// rawClaimer claims with bare pgx, as each reviewer would without Docket.
type rawClaimer struct {
	pool *pgxpool.Pool
}

func newRawClaimer(ctx context.Context, dbURL string, conns int) (*rawClaimer, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = int32(conns)
	cfg.MinConns = int32(conns)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &rawClaimer{pool: pool}, nil
}

func (c *rawClaimer) claim(ctx context.Context, market string, userID int64) error {
	return pgx.BeginFunc(ctx, c.pool, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, rawLockSQL, market).Scan(&id); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return errPoolDrained
			}
			return err
		}
		_, err := tx.Exec(ctx, rawClaimSQL, id, userID)
		return err
	})
}

// releaseAll puts every case the bench reviewers hold back in the queue,
// between phases, so each phase starts from the same pool. It works in
// small batches in id order, retrying when the sweeper's priority refresh
// (which updates cases too) deadlocks with it.
func releaseAll(ctx context.Context, pool *pgxpool.Pool, reviewers []int64) (int64, error) {
	var total int64
	for attempt := 0; ; {
		tag, err := pool.Exec(ctx, `UPDATE cases SET status = 'triaged', assignee_id = NULL, claim_expires_at = NULL,
			updated_at = now(), version = version + 1
			WHERE id IN (SELECT id FROM cases WHERE status = 'in_review' AND assignee_id = ANY($1) ORDER BY id LIMIT 2000)`, reviewers)
		var pe *pgconn.PgError
		if errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001") && attempt < 20 {
			attempt++
			time.Sleep(time.Duration(attempt) * 50 * time.Millisecond)
			continue
		}
		if err != nil {
			return total, err
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() == 0 {
			return total, nil
		}
	}
}

// httpClaims is a phase body: each reviewer claims the next case of their
// queue through the API.
func (r *run) httpClaims(ctx context.Context, w int) error {
	rv := r.reviewers[w]
	_, err := rv.api.claim(ctx, rv.queue)
	if isQueueEmpty(err) {
		return errPoolDrained
	}
	return err
}

// dashboards loops the dashboard-like reads as the lead, back to back:
// the queue list with live counts, and case searches.
type dashboards struct {
	mu       sync.Mutex
	queues   Latencies
	searches Latencies
	errs     []error
}

var dashboardSearches = []string{
	"/api/v1/cases?status=triaged,in_review&sort=priority&limit=50",
	"/api/v1/cases?market=VN&severity=critical,high&sort=due&limit=50",
	"/api/v1/cases?q=" + url.QueryEscape("sneaker") + "&limit=50",
	"/api/v1/cases?sla_breached=true&status=escalated&limit=50",
	"/api/v1/cases?policy=counterfeit&market=TH&sort=created&limit=50",
}

// run loops until stop is closed; a read in flight then finishes (a
// cancelled request would only add noise to the server's log).
func (d *dashboards) run(ctx context.Context, stop <-chan struct{}, c *apiClient) {
	var wg sync.WaitGroup
	loop := func(into *Latencies, path func(i int) string) {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			t0 := time.Now()
			err := c.call(ctx, http.MethodGet, path(i), nil, nil)
			el := time.Since(t0)
			d.mu.Lock()
			if err != nil {
				d.errs = append(d.errs, err)
			} else {
				*into = append(*into, el)
			}
			d.mu.Unlock()
			if ctx.Err() != nil {
				return
			}
		}
	}
	wg.Go(func() { loop(&d.queues, func(int) string { return "/api/v1/queues" }) })
	wg.Go(func() { loop(&d.searches, func(i int) string { return dashboardSearches[i%len(dashboardSearches)] }) })
	wg.Wait()
}

// claims runs scenarios 1 and 3 and measures memory during 1: rounds of a
// raw baseline phase, an API phase, and an API phase with the dashboard
// loops, on the same table, releasing the claims after each phase.
func (r *run) claims(ctx context.Context) error {
	o := r.opts
	n := len(r.reviewers)
	raw, err := newRawClaimer(ctx, r.dbURL, n)
	if err != nil {
		return err
	}
	defer raw.pool.Close()
	ids := reviewerIDs(r.reviewers)
	release := func() error {
		_, err := releaseAll(ctx, raw.pool, ids)
		return err
	}
	rawOp := func(ctx context.Context, w int) error {
		return raw.claim(ctx, r.reviewers[w].market, r.reviewers[w].id)
	}
	lead, err := login(ctx, r.reviewers[0].api.base, r.hc, r.leadEmail, benchPassword)
	if err != nil {
		return err
	}

	if o.Warmup > 0 {
		if _, err := runPhase(ctx, n, o.Warmup, 0, rawOp); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
		if _, err := runPhase(ctx, n, o.Warmup, 0, r.httpClaims); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
		if err := release(); err != nil {
			return err
		}
	}
	var rawAll, apiAll, dashAll Phase
	var peak int64 = -1
	var peakErr error
	dash := &dashboards{}
	for round := 1; round <= max(o.Rounds, 1); round++ {
		ph, err := runPhase(ctx, n, o.Phase, 0, rawOp)
		if err != nil {
			return fmt.Errorf("raw phase: %w", err)
		}
		rawAll = rawAll.Add(ph)
		fmt.Fprintf(r.log, "  round %d raw: %s claims\n", round, perSec(ph.Rate()))
		if err := release(); err != nil {
			return err
		}

		stopProfile, err := r.profileOnce()
		if err != nil {
			return err
		}
		peakErr = resetPeakRSS()
		ph, err = runPhase(ctx, n, o.Phase, 0, r.httpClaims)
		stopProfile()
		if peakErr == nil {
			rss, e := peakRSS()
			peak, peakErr = max(peak, rss), e
		}
		if err != nil {
			return fmt.Errorf("API phase: %w", err)
		}
		apiAll = apiAll.Add(ph)
		fmt.Fprintf(r.log, "  round %d API: %s claims\n", round, perSec(ph.Rate()))
		if err := release(); err != nil {
			return err
		}

		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() { dash.run(ctx, stop, lead) })
		ph, err = runPhase(ctx, n, o.Phase, 0, r.httpClaims)
		close(stop)
		wg.Wait()
		if err != nil {
			return fmt.Errorf("API phase with dashboards: %w", err)
		}
		dashAll = dashAll.Add(ph)
		fmt.Fprintf(r.log, "  round %d API with dashboards: %s claims\n", round, perSec(ph.Rate()))
		if err := release(); err != nil {
			return err
		}
	}
	if len(dash.errs) > 0 {
		return fmt.Errorf("dashboard reads failed (%d times), first: %w", len(dash.errs), dash.errs[0])
	}

	rawRate, apiRate, dashRate := rawAll.Rate(), apiAll.Rate(), dashAll.Rate()
	lat := apiAll.Lat.Sorted()
	rawLat := rawAll.Lat.Sorted()
	name := fmt.Sprintf("claim-next over HTTP, %d reviewers, %s open cases", n, fmtInt(int64(o.Cases)))
	q := ratio(apiRate, rawRate)
	r.report.add(Row{Scenario: "1", Name: name, Figure: "claims/s", Measured: perSec(apiRate),
		Baseline: fmt.Sprintf("%s: %s", rawClaimBaselineLabel, perSec(rawRate)), Ratio: pct(q),
		Target: ">= 50% of raw", Status: atLeast(q, targetClaimRatio),
		Note: fmt.Sprintf("%s API claims and %s raw claims; raw p50 %s, p99 %s", fmtInt(int64(apiAll.Ops)), fmtInt(int64(rawAll.Ops)),
			ms(rawLat.Percentile(50)), ms(rawLat.Percentile(99)))})
	r.report.add(Row{Scenario: "1", Name: name, Figure: "latency p50 / p99", Measured: ms(lat.Percentile(50)) + " / " + ms(lat.Percentile(99)),
		Target: "p99 <= 10 ms", Status: atMost(float64(lat.Percentile(99)), float64(targetClaimP99))})
	q3 := ratio(dashRate, apiRate)
	r.report.add(Row{Scenario: "3", Name: "claims while the lead's dashboard reads loop", Figure: "claims/s", Measured: perSec(dashRate),
		Baseline: "scenario 1: " + perSec(apiRate), Ratio: pct(q3), Target: ">= 70% of scenario 1", Status: atLeast(q3, targetDashboardRatio)})
	ql, sl := dash.queues.Sorted(), dash.searches.Sorted()
	r.report.add(Row{Scenario: "3", Name: "GET /api/v1/queues (live counts, every queue) in a loop", Figure: "latency p50 / p99",
		Measured: fmt.Sprintf("%s / %s (%d reads)", ms(ql.Percentile(50)), ms(ql.Percentile(99)), len(ql)), Target: dashboardTargetLater, Status: Deferred})
	r.report.add(Row{Scenario: "3", Name: "GET /api/v1/cases searches in a loop", Figure: "latency p50 / p99",
		Measured: fmt.Sprintf("%s / %s (%d reads)", ms(sl.Percentile(50)), ms(sl.Percentile(99)), len(sl)), Target: dashboardTargetLater, Status: Deferred})
	row := Row{Scenario: "6", Name: "server process during scenario 1", Figure: "peak RSS", Target: "<= 256 MB"}
	if peak >= 0 {
		row.Measured, row.Status = mib(peak), atMost(float64(peak), targetPeakRSS)
		row.Note = "VmHWM of the bench process (server and its HTTP clients), reset before each API phase"
	} else {
		row.Measured, row.Status, row.Note = "n/a", NotRun, oneLine(peakErr)
	}
	r.report.add(row)
	if math.IsNaN(q) {
		return errors.New("no raw claims were measured")
	}
	return nil
}
