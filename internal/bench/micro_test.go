package bench

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/docket-tns/docket/app/rules"
	"github.com/docket-tns/docket/models"
)

// Micro-benchmarks of the pure hot paths: `make bench` runs them with
// -benchmem and copies the figures into docs/PERFORMANCE.md.

// A rule with attribute tests and three velocity calls, as analysts write.
const benchExpression = `signal.type == "report.filed" && signal.attributes.reason in ["scam", "fake"] &&
  subject.followers > 10000 && count("report.filed", "1h") >= 10 &&
  sum("refund.requested", "amount_usd", "7d") > 500.0 && distinct("report.filed", "reporter_id", "24h") >= 5`

func benchInput() rules.Input {
	var attrs map[string]any
	_ = json.Unmarshal([]byte(`{"reason":"scam","reporter_id":"u1234","reporter_trust":0.8}`), &attrs)
	return rules.Input{
		Signal: rules.Signal{Type: "report.filed", Source: "risk-engine", OccurredAt: time.Now(), Attributes: attrs},
		Subject: rules.Subject{Kind: "livestream", ExternalID: "vn-live-1", Market: "VN", Followers: 120000, Strikes: 1, AgeDays: 200,
			Attributes: map[string]any{"followers": 120000.0}},
		Velocity: map[string]float64{`count("report.filed", "1h")`: 12, `sum("refund.requested", "amount_usd", "7d")`: 640,
			`distinct("report.filed", "reporter_id", "24h")`: 7},
	}
}

// BenchmarkRuleCompile: parse and type-check one rule (done when a rule
// version is saved and when a server loads the active rules).
func BenchmarkRuleCompile(b *testing.B) {
	for b.Loop() {
		if _, errs := rules.Compile(benchExpression); errs != nil {
			b.Fatal(errs)
		}
	}
}

// BenchmarkRuleEval: one evaluation of a compiled rule on expr's VM, the
// velocity answers already read.
func BenchmarkRuleEval(b *testing.B) {
	p, errs := rules.Compile(benchExpression)
	if errs != nil {
		b.Fatal(errs)
	}
	in := benchInput()
	for b.Loop() {
		hit, err := p.Eval(in, 0)
		if err != nil || !hit {
			b.Fatal(hit, err)
		}
	}
}

// BenchmarkRuleEvalReport: the rules of the ingest scenario that listen
// to report.filed (nine of the twenty), on one report prepared once, as
// ingestion does: what a report costs in expressions alone.
func BenchmarkRuleEvalReport(b *testing.B) {
	var ps []*rules.Program
	for _, r := range benchRules {
		if !slices.Contains(r.types, "report.filed") {
			continue
		}
		p, errs := rules.Compile(r.expr)
		if errs != nil {
			b.Fatalf("%s: %v", r.name, errs)
		}
		ps = append(ps, p)
	}
	in := benchInput()
	for b.Loop() {
		e := rules.Prepare(in)
		for _, p := range ps {
			if _, err := p.EvalPrepared(e, 0); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkTransition: a lookup in the lifecycle table.
func BenchmarkTransition(b *testing.B) {
	pairs := []struct {
		from   models.CaseStatus
		action models.CaseAction
	}{{models.StatusTriaged, models.ActionClaim}, {models.StatusInReview, models.ActionResolve},
		{models.StatusInReview, models.ActionEscalate}, {models.StatusNew, models.ActionTriage}}
	i := 0
	for b.Loop() {
		p := pairs[i%len(pairs)]
		if _, err := models.FindTransition(p.from, p.action); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkPriority: the priority score and its next refresh time.
func BenchmarkPriority(b *testing.B) {
	now := time.Now()
	due := now.Add(10 * time.Hour)
	for b.Loop() {
		_ = models.Priority("high", 120000, 50000, due, now, 24*time.Hour, false)
		_ = models.NextPriorityRefresh(due, now, 24*time.Hour)
	}
}

// The bench's rules must compile: a rule that does not would fail the
// ingest scenario only at run time.
func TestBenchRulesCompile(t *testing.T) {
	for _, r := range benchRules {
		if _, errs := rules.Compile(r.expr); errs != nil {
			t.Errorf("%s: %v", r.name, errs)
		}
	}
}
