package bench

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// progress prints how far a long step is, every few seconds.
type progress struct {
	w     io.Writer
	label string
	total int64
	done  atomic.Int64
	start time.Time
	stop  chan struct{}
	wg    sync.WaitGroup
}

func startProgress(w io.Writer, label string, total int64) *progress {
	p := &progress{w: w, label: label, total: total, start: time.Now(), stop: make(chan struct{})}
	p.wg.Go(func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.print()
			}
		}
	})
	return p
}

func (p *progress) print() {
	n := p.done.Load()
	el := time.Since(p.start)
	r := rate(int(n), el)
	line := fmt.Sprintf("  %s: %s / %s (%.0f%%), %s rows/s", p.label, fmtInt(n), fmtInt(p.total), 100*float64(n)/float64(max(p.total, 1)), fmtInt(int64(r)))
	if r > 0 && n < p.total {
		line += fmt.Sprintf(", about %s left", round(time.Duration(float64(p.total-n)/r*float64(time.Second))))
	}
	fmt.Fprintln(p.w, line)
}

// finish stops the ticker and prints the final line.
func (p *progress) finish() {
	close(p.stop)
	p.wg.Wait()
	fmt.Fprintf(p.w, "  %s: %s rows in %s\n", p.label, fmtInt(p.done.Load()), round(time.Since(p.start)))
}
