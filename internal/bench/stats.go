package bench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Latencies is a set of measured durations.
type Latencies []time.Duration

// Percentile returns the p-th percentile (0 < p <= 100) by the
// nearest-rank method, or 0 for an empty set. The receiver must be sorted.
func (l Latencies) Percentile(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	rank := int(float64(len(l))*p/100 + 0.999999999)
	rank = min(max(rank, 1), len(l))
	return l[rank-1]
}

// Sorted returns a sorted copy.
func (l Latencies) Sorted() Latencies {
	s := slices.Clone(l)
	slices.Sort(s)
	return s
}

// Phase is one measured run of concurrent workers.
type Phase struct {
	Ops     int
	Elapsed time.Duration
	Lat     Latencies
}

// Rate is operations per second.
func (p Phase) Rate() float64 { return rate(p.Ops, p.Elapsed) }

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// Add sums phases: the rate of the sum is total operations over total time.
func (p Phase) Add(q Phase) Phase {
	return Phase{Ops: p.Ops + q.Ops, Elapsed: p.Elapsed + q.Elapsed, Lat: append(slices.Clone(p.Lat), q.Lat...)}
}

// errStop ends a worker's loop without failing the phase.
var errStop = errors.New("stop")

// runPhase runs op in a loop on each of workers goroutines until d has
// passed (or the op count reaches limit, when limit > 0), recording each
// call's latency. The first error other than errStop cancels every worker
// and is returned.
func runPhase(ctx context.Context, workers int, d time.Duration, limit int, op func(ctx context.Context, worker int) error) (Phase, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		lats     = make([]Latencies, workers)
		started  int
		wg       sync.WaitGroup
	)
	take := func() bool { // a ticket for one more op when a limit is set
		if limit <= 0 {
			return true
		}
		mu.Lock()
		defer mu.Unlock()
		if started >= limit {
			return false
		}
		started++
		return true
	}
	start := time.Now()
	deadline := start.Add(d)
	for w := range workers {
		wg.Go(func() {
			for ctx.Err() == nil && (d <= 0 || time.Now().Before(deadline)) && take() {
				t0 := time.Now()
				err := op(ctx, w)
				if errors.Is(err, errStop) {
					return
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil && ctx.Err() == nil {
						firstErr = fmt.Errorf("worker %d: %w", w, err)
					}
					mu.Unlock()
					cancel()
					return
				}
				lats[w] = append(lats[w], time.Since(t0))
			}
		})
	}
	wg.Wait()
	ph := Phase{Elapsed: time.Since(start)}
	for _, l := range lats {
		ph.Ops += len(l)
		ph.Lat = append(ph.Lat, l...)
	}
	if firstErr == nil {
		firstErr = ctx.Err() // the caller gave up
	}
	return ph, firstErr
}

// group runs functions concurrently; the first error cancels the others'
// context and is what Wait returns.
type group struct {
	wg     sync.WaitGroup
	mu     sync.Mutex
	err    error
	cancel context.CancelFunc
	ctx    context.Context
}

// Go runs fn in a goroutine with a context that ends on the group's first
// error.
func (g *group) Go(parent context.Context, fn func(ctx context.Context) error) {
	g.mu.Lock()
	if g.ctx == nil {
		g.ctx, g.cancel = context.WithCancel(parent)
	}
	ctx := g.ctx
	g.mu.Unlock()
	g.wg.Go(func() {
		if err := fn(ctx); err != nil {
			g.mu.Lock()
			if g.err == nil {
				g.err = err
				g.cancel()
			}
			g.mu.Unlock()
		}
	})
}

// Wait waits for every function and returns the first error.
func (g *group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}
