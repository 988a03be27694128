package bench

import (
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Status is how a figure compares with its target.
type Status string

// Statuses of a row.
const (
	Met      Status = "met"
	Missed   Status = "MISSED"
	Info     Status = "-"       // a figure without a target (yet)
	NotRun   Status = "not run" // skipped by flags, or the scenario failed
	Deferred Status = "pending" // the target arrives with another issue
)

// Row is one figure of the scenario table.
type Row struct {
	Scenario string // "1", "2", ...
	Name     string // what ran
	Figure   string // what was measured
	Measured string
	Baseline string // what it is compared with, and its value
	Ratio    string
	Target   string
	Status   Status
	Note     string
}

// atLeast checks a measured value against a lower bound.
func atLeast(v, bound float64) Status {
	if math.IsNaN(v) {
		return NotRun
	}
	if v >= bound {
		return Met
	}
	return Missed
}

// atMost checks a measured value against an upper bound.
func atMost(v, bound float64) Status {
	if math.IsNaN(v) {
		return NotRun
	}
	if v <= bound {
		return Met
	}
	return Missed
}

// ratio is a/b, NaN when b is zero.
func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

func pct(r float64) string {
	if math.IsNaN(r) {
		return "n/a"
	}
	return fmt.Sprintf("%.0f%%", r*100)
}

func perSec(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case v >= 100:
		return fmtInt(int64(math.Round(v))) + "/s"
	default:
		return strconv.FormatFloat(v, 'f', 1, 64) + "/s"
	}
}

func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	if v >= 100 {
		return fmt.Sprintf("%.0f ms", v)
	}
	return fmt.Sprintf("%.1f ms", v)
}

func mib(bytes int64) string { return fmt.Sprintf("%d MB", bytes>>20) }

// fmtInt writes n with thousands separators.
func fmtInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// round rounds d for display.
func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Minute:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	default:
		return d.Round(time.Millisecond)
	}
}

// Timing is how long a step of the run took.
type Timing struct {
	Step string
	Took time.Duration
}

// Report is everything a run measured.
type Report struct {
	Date     time.Time
	Machine  Machine
	DataSet  string
	Settings []string // durations and concurrency actually used
	Rows     []Row
	Churn    []float64 // claims/s of each churn window, in order
	GoBench  []string  // result lines of `go test -bench`
	Timings  []Timing
	Notes    []string
}

func (r *Report) add(row Row) { r.Rows = append(r.Rows, row) }

// sorted returns the rows by scenario number, in run order within one.
func (r *Report) sorted() []Row {
	rows := slices.Clone(r.Rows)
	slices.SortStableFunc(rows, func(a, b Row) int { return strings.Compare(a.Scenario, b.Scenario) })
	return rows
}

func (r *Report) timed(step string, start time.Time) {
	r.Timings = append(r.Timings, Timing{Step: step, Took: time.Since(start)})
}

// WriteText prints the scenario table for a terminal.
func (r *Report) WriteText(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tscenario\tfigure\tmeasured\tbaseline\tratio\ttarget\tstatus")
	rows := r.sorted()
	for _, row := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", row.Scenario, row.Name, row.Figure, row.Measured,
			dash(row.Baseline), dash(row.Ratio), dash(row.Target), row.Status)
	}
	_ = tw.Flush()
	for _, row := range rows {
		if row.Note != "" {
			fmt.Fprintf(w, "  [%s %s] %s\n", row.Scenario, row.Figure, row.Note)
		}
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func mdCell(s string) string {
	return strings.ReplaceAll(dash(s), "|", `\|`)
}

// Markdown renders the generated part of docs/PERFORMANCE.md.
func (r *Report) Markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("## Latest run\n\n")
	p("Written by `docket bench` on %s. Everything between the two markers is\n", r.Date.UTC().Format("2006-01-02 15:04 MST"))
	p("replaced on the next run; edit the sections outside them.\n\n")
	p("### Machine\n\n")
	p("| | |\n|---|---|\n")
	for _, kv := range r.Machine.rows() {
		p("| %s | %s |\n", kv[0], mdCell(kv[1]))
	}
	p("| data set | %s |\n", mdCell(r.DataSet))
	for _, s := range r.Settings {
		k, v, _ := strings.Cut(s, ": ")
		p("| %s | %s |\n", k, mdCell(v))
	}
	p("\n### Scenarios\n\n")
	p("| # | scenario | figure | measured | baseline (same run) | ratio | target | status |\n")
	p("|---|---|---|---|---|---|---|---|\n")
	rows := r.sorted()
	for _, row := range rows {
		status := string(row.Status)
		if row.Status == Met {
			status = "met"
		} else if row.Status == Missed {
			status = "**missed**"
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s |\n", row.Scenario, mdCell(row.Name), mdCell(row.Figure),
			mdCell(row.Measured), mdCell(row.Baseline), mdCell(row.Ratio), mdCell(row.Target), status)
	}
	var notes []string
	for _, row := range rows {
		if row.Note != "" {
			notes = append(notes, fmt.Sprintf("- %s, %s: %s", row.Scenario, row.Figure, row.Note))
		}
	}
	notes = append(notes, prefixAll("- ", r.Notes)...)
	if len(notes) > 0 {
		p("\n%s\n", strings.Join(notes, "\n"))
	}
	if len(r.Churn) > 0 {
		parts := make([]string, len(r.Churn))
		for i, v := range r.Churn {
			parts[i] = perSec(v)
		}
		p("\nChurn, claims/s per window (first to last): %s.\n", strings.Join(parts, ", "))
	}
	if len(r.GoBench) > 0 {
		p("\n### Go micro-benchmarks\n\n```\n%s\n```\n", strings.Join(r.GoBench, "\n"))
	}
	if len(r.Timings) > 0 {
		p("\n### How long each step took\n\n| step | time |\n|---|---|\n")
		for _, t := range r.Timings {
			p("| %s | %s |\n", t.Step, round(t.Took))
		}
	}
	return b.String()
}

func prefixAll(prefix string, ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = prefix + s
	}
	return out
}

// Markers delimit the generated part of docs/PERFORMANCE.md.
const (
	BeginMarker = "<!-- docket bench: generated results begin -->"
	EndMarker   = "<!-- docket bench: generated results end -->"
)

// MergeDoc puts generated between the markers of doc, keeping everything
// else as it was written. Without markers, the block goes before the
// first second-level heading (or at the end), so an existing hand-written
// page keeps its text around the new block.
func MergeDoc(doc, generated string) string {
	block := BeginMarker + "\n" + strings.TrimSpace(generated) + "\n" + EndMarker + "\n"
	if doc == "" {
		return "# Performance\n\n" + block
	}
	if i := strings.Index(doc, BeginMarker); i >= 0 {
		if j := strings.Index(doc[i:], EndMarker); j >= 0 {
			rest := strings.TrimPrefix(doc[i+j+len(EndMarker):], "\n")
			return doc[:i] + block + rest
		}
	}
	if i := strings.Index(doc, "\n## "); i >= 0 {
		return doc[:i+1] + block + "\n" + doc[i+1:]
	}
	return strings.TrimRight(doc, "\n") + "\n\n" + block
}

// WriteDoc merges the report into the file at path.
func (r *Report) WriteDoc(path string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	return os.WriteFile(path, []byte(MergeDoc(string(old), r.Markdown())), 0o644)
}

// ParseGoBench keeps the result lines of `go test -bench` output (and the
// package each belongs to).
func ParseGoBench(out string) []string {
	var keep []string
	pkg := ""
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimRight(line, "\r ")
		switch {
		case strings.HasPrefix(line, "pkg: "):
			pkg = strings.TrimPrefix(line, "pkg: ")
		case strings.HasPrefix(line, "Benchmark") && strings.Contains(line, "ns/op"):
			if pkg != "" {
				keep = append(keep, "# "+pkg)
				pkg = ""
			}
			keep = append(keep, strings.Join(strings.Fields(line), " "))
		}
	}
	return keep
}

// Failed reports whether a scenario could not be measured.
func (r *Report) Failed() bool {
	for _, row := range r.Rows {
		if row.Status == NotRun && strings.HasPrefix(row.Note, "failed:") {
			return true
		}
	}
	return false
}
