package bench

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// windowRates splits claim completion times (offsets from the start, in
// completion order) into windows of equal claim counts and returns each
// window's claims per second.
func windowRates(done []time.Duration, windows int) []float64 {
	if windows <= 0 || len(done) < windows {
		return nil
	}
	out := make([]float64, windows)
	var prev time.Duration
	for w := range windows {
		lo, hi := w*len(done)/windows, (w+1)*len(done)/windows
		end := done[hi-1]
		out[w] = rate(hi-lo, end-prev)
		prev = end
	}
	return out
}

// churn runs scenario 2: claim + resolve cycles through the API by every
// reviewer until the count is done; the claim rate of the last window is
// compared with the first.
func (r *run) churn(ctx context.Context) error {
	o := r.opts
	n := len(r.reviewers)
	total := o.Churn
	done := make([]time.Duration, total)
	var next, completed atomic.Int64
	start := time.Now()
	prog := startProgress(r.log, "claim + resolve cycles", int64(total))
	_, err := runPhase(ctx, n, 0, total, func(ctx context.Context, w int) error {
		rv := r.reviewers[w]
		ref, err := rv.api.claim(ctx, rv.queue)
		if isQueueEmpty(err) {
			return errPoolDrained
		}
		if err != nil {
			return err
		}
		done[next.Add(1)-1] = time.Since(start)
		prog.done.Add(1)
		if err := rv.api.resolve(ctx, ref); err != nil {
			return fmt.Errorf("resolve case %d: %w", ref.ID, err)
		}
		completed.Add(1)
		return nil
	})
	prog.finish()
	elapsed := time.Since(start)
	if err != nil {
		return err
	}
	claims := done[:next.Load()]
	// Completion order across workers is close to, not exactly, index
	// order; sort so windows cut the timeline.
	claims = Latencies(claims).Sorted()
	rates := windowRates(claims, max(o.ChurnWindows, 2))
	r.report.Churn = rates
	first, last := rates[0], rates[len(rates)-1]
	q := ratio(last, first)
	r.report.add(Row{Scenario: "2", Name: fmt.Sprintf("churn: %s claim + resolve cycles over HTTP, %d reviewers", fmtInt(int64(total)), n),
		Figure: "claims/s, last window vs first", Measured: perSec(last), Baseline: "first window: " + perSec(first), Ratio: pct(q),
		Target: ">= 80%", Status: atLeast(q, targetChurnRatio),
		Note: fmt.Sprintf("%d windows of %s claims; %s cycles overall in %s", len(rates), fmtInt(int64(total/len(rates))),
			perSec(rate(int(completed.Load()), elapsed)), round(elapsed))})
	return nil
}
