package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"math"
	"runtime/pprof"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	var l Latencies
	for i := 100; i >= 1; i-- {
		l = append(l, ms(i))
	}
	s := l.Sorted()
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{50, ms(50)}, {99, ms(99)}, {100, ms(100)}, {1, ms(1)}, {0.1, ms(1)}} {
		if got := s.Percentile(tc.p); got != tc.want {
			t.Errorf("p%v = %v, want %v", tc.p, got, tc.want)
		}
	}
	if got := (Latencies{}).Percentile(99); got != 0 {
		t.Errorf("empty p99 = %v", got)
	}
	if got := (Latencies{ms(7)}).Percentile(50); got != ms(7) {
		t.Errorf("single p50 = %v", got)
	}
	if l[0] != ms(100) {
		t.Error("Sorted changed its receiver")
	}
}

func TestPhaseRates(t *testing.T) {
	a := Phase{Ops: 100, Elapsed: 2 * time.Second, Lat: Latencies{1, 2}}
	b := Phase{Ops: 300, Elapsed: 2 * time.Second, Lat: Latencies{3}}
	if r := a.Add(b).Rate(); r != 100 {
		t.Errorf("combined rate %v, want 100 (total ops over total time)", r)
	}
	if len(a.Add(b).Lat) != 3 || len(a.Lat) != 2 {
		t.Error("Add must concatenate latencies without touching its operands")
	}
	if (Phase{}).Rate() != 0 {
		t.Error("an empty phase has no rate")
	}
}

func TestWindowRates(t *testing.T) {
	var done []time.Duration
	// 10 claims in the first second, 10 in the next two seconds.
	for i := 1; i <= 10; i++ {
		done = append(done, time.Duration(i)*100*time.Millisecond)
	}
	for i := 1; i <= 10; i++ {
		done = append(done, time.Second+time.Duration(i)*200*time.Millisecond)
	}
	got := windowRates(done, 2)
	if len(got) != 2 || math.Abs(got[0]-10) > 1e-9 || math.Abs(got[1]-5) > 1e-9 {
		t.Fatalf("windows %v, want [10 5]", got)
	}
	if windowRates(done[:1], 2) != nil {
		t.Error("fewer claims than windows gives no windows")
	}
}

func TestStatusChecks(t *testing.T) {
	for _, tc := range []struct {
		got, want Status
	}{
		{atLeast(0.5, 0.5), Met}, {atLeast(0.49, 0.5), Missed}, {atLeast(math.NaN(), 0.5), NotRun},
		{atMost(10, 10), Met}, {atMost(10.1, 10), Missed}, {atMost(ratio(1, 0), 1), NotRun},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}

func TestFormatting(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{fmtInt(0), "0"}, {fmtInt(999), "999"}, {fmtInt(1000), "1,000"}, {fmtInt(1234567), "1,234,567"}, {fmtInt(-1234), "-1,234"},
		{perSec(1234.4), "1,234/s"}, {perSec(12.34), "12.3/s"}, {pct(0.456), "46%"}, {pct(math.NaN()), "n/a"},
		{ms(1500 * time.Microsecond), "1.5 ms"}, {ms(250 * time.Millisecond), "250 ms"}, {mib(300 << 20), "300 MB"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func sampleReport() *Report {
	r := &Report{Date: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), DataSet: "1,000 open cases",
		Machine: Machine{CPU: "Test CPU", Cores: 2, RAMBytes: 4 << 30, Go: "go1.26", Postgres: "15.20"}}
	r.add(Row{Scenario: "1", Name: "claim-next", Figure: "claims/s", Measured: "400/s", Baseline: "raw: 1,000/s", Ratio: "40%",
		Target: ">= 50% of raw", Status: Missed, Note: "the audit lock"})
	r.add(Row{Scenario: "6", Name: "memory | peak", Figure: "peak RSS", Measured: "60 MB", Target: "<= 256 MB", Status: Met})
	r.add(Row{Scenario: "3", Name: "GET /queues", Figure: "latency", Measured: "1 ms", Target: "later", Status: Deferred})
	r.Churn = []float64{100, 90}
	r.GoBench = []string{"BenchmarkX-2 10 5 ns/op"}
	r.Timings = []Timing{{"seed", 90 * time.Second}}
	return r
}

func TestMarkdown(t *testing.T) {
	md := sampleReport().Markdown()
	for _, want := range []string{
		"| 1 | claim-next | claims/s | 400/s | raw: 1,000/s | 40% | >= 50% of raw | **missed** |",
		"| 6 | memory \\| peak | peak RSS | 60 MB | - | - | <= 256 MB | met |",
		"| 3 | GET /queues | latency | 1 ms | - | - | later | pending |",
		"- 1, claims/s: the audit lock",
		"| CPU | Test CPU, 2 cores |", "| RAM | 4.0 GiB |", "| data set | 1,000 open cases |",
		"Churn, claims/s per window (first to last): 100/s, 90.0/s.",
		"BenchmarkX-2 10 5 ns/op", "| seed | 1m30s |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	var text bytes.Buffer
	sampleReport().WriteText(&text)
	if !strings.Contains(text.String(), "MISSED") || !strings.Contains(text.String(), "[1 claims/s] the audit lock") {
		t.Errorf("text table:\n%s", text.String())
	}
}

func TestMergeDoc(t *testing.T) {
	gen := "## Latest run\n\nfigures v2\n"
	block := BeginMarker + "\n## Latest run\n\nfigures v2\n" + EndMarker + "\n"
	for _, tc := range []struct{ name, doc, want string }{
		{"empty file", "", "# Performance\n\n" + block},
		{"replaces between markers, keeps the rest",
			"# Perf\n\nintro\n\n" + BeginMarker + "\nold figures\n" + EndMarker + "\n\n## Findings\n\nhand-written\n",
			"# Perf\n\nintro\n\n" + block + "\n## Findings\n\nhand-written\n"},
		{"no markers: before the first section", "# Perf\n\nintro\n\n## Notes\n\nmine\n",
			"# Perf\n\nintro\n\n" + block + "\n## Notes\n\nmine\n"},
		{"no markers, no sections: appended", "# Perf\n\nintro\n", "# Perf\n\nintro\n\n" + block},
	} {
		if got := MergeDoc(tc.doc, gen); got != tc.want {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.name, got, tc.want)
		}
	}
	// Merging twice changes nothing more.
	once := MergeDoc("# Perf\n\n## Findings\n\nx\n", gen)
	if twice := MergeDoc(once, gen); twice != once {
		t.Errorf("not idempotent:\n%q\n%q", once, twice)
	}
}

func TestParseGoBench(t *testing.T) {
	out := "goos: linux\ngoarch: amd64\npkg: example.com/a\ncpu: X\nBenchmarkA-2   \t 1000\t  1234 ns/op\t  10 B/op\t 1 allocs/op\nPASS\nok  \texample.com/a\t1.0s\n" +
		"pkg: example.com/b\nBenchmarkB/sqlite-2 5 200 ns/op\n--- FAIL: x\n"
	got := ParseGoBench(out)
	want := []string{"# example.com/a", "BenchmarkA-2 1000 1234 ns/op 10 B/op 1 allocs/op", "# example.com/b", "BenchmarkB/sqlite-2 5 200 ns/op"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q", got)
	}
}

func TestRunPhase(t *testing.T) {
	ctx := context.Background()
	ph, err := runPhase(ctx, 3, 0, 10, func(context.Context, int) error { return nil })
	if err != nil || ph.Ops != 10 || len(ph.Lat) != 10 {
		t.Fatalf("limited phase: %d ops, %v", ph.Ops, err)
	}
	boom := errors.New("boom")
	_, err = runPhase(ctx, 2, time.Minute, 0, func(_ context.Context, w int) error {
		if w == 1 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("want the worker's error, got %v", err)
	}
	ph, err = runPhase(ctx, 2, time.Minute, 0, func(context.Context, int) error { return errStop })
	if err != nil || ph.Ops != 0 {
		t.Fatalf("errStop ends workers quietly: %d %v", ph.Ops, err)
	}
}

// The profile reader finds this test's own busy loop in a real profile.
func TestCPUProfileShare(t *testing.T) {
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		t.Fatal("profiling unavailable:", err)
	}
	// A fixed amount of work (not of wall time): the profile samples CPU
	// time, so a loaded machine only makes this slower.
	x := 0
	for range 150_000 {
		x += spin(1000)
	}
	pprof.StopCPUProfile()
	p, err := parseCPUProfileBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	share, total := p.share(hasAny("internal/bench.spin"), nil, nil)
	if total == 0 {
		t.Fatal("the profile caught no samples")
	}
	if share < 0.3 {
		t.Fatalf("spin share %.2f of %d ns (x=%d)", share, total, x)
	}
	if s, _ := p.share(hasAny("no.such.function"), nil, nil); s != 0 {
		t.Errorf("share of a missing function = %v", s)
	}
	if _, err := parseCPUProfileBytes([]byte("not gzip")); err == nil {
		t.Error("garbage must not parse")
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	_, _ = zw.Write([]byte{0x0a, 0xff}) // a field claiming more bytes than there are
	_ = zw.Close()
	if _, err := parseCPUProfileBytes(z.Bytes()); err == nil {
		t.Error("a truncated profile must not parse")
	}
}

//go:noinline
func spin(n int) int {
	s := 0
	for i := range n {
		s += i * i % 7
	}
	return s
}
