package rules_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/docket-tns/docket/app/rules"
)

func TestCompile(t *testing.T) {
	ok := `signal.type == "report.filed" && count("report.filed", "1h") >= 20 &&
  subject.followers > 10000 && sum("refund.requested", "amount_usd", "7d") > 500.0 && distinct("report.filed", "reporter", "24h") >= 5`
	c, errs := rules.Compile(ok)
	if len(errs) != 0 || c == nil || len(c.Velocity) != 3 || c.Velocity[0].Key != `count("report.filed", "1h")` ||
		c.Velocity[1].Attribute != "amount_usd" || c.Velocity[1].Window != 7*24*time.Hour || c.Loops {
		t.Fatalf("valid rule: %+v %+v", c, errs)
	}
	for _, tc := range []struct {
		src        string
		line, col  int
		msgContain string
	}{
		{`signal.colour == "red"`, 1, 8, "colour"},
		{`subject.followers + 1`, 1, 1, "bool"},
		{"signal.type == \"x\" &&\n  count(\"report.filed\", \"45d\") > 3", 2, 25, "longer than 30 days"},
		{"signal.type == \"x\" &&\n  count(\"report.filed\", \"3w\") > 3", 2, 25, "window"},
		{`count(signal.type, "1h") > 3`, 1, 14, "quoted literal"},
		{`count("report.filed") > 3`, 1, 1, "argument"},
		{`signal.type == `, 1, 1, ""},
		{``, 1, 1, "write an expression"},
		{`"` + strings.Repeat("x", 5000) + `" == signal.type`, 1, 1, "at most 4000 bytes"},
		{strings.Repeat("!", 1000) + "true", 1, 1, ""},
		{strings.Repeat("[", 500) + "1" + strings.Repeat("]", 500) + " == []", 1, 1, ""},
		{`all(1..3, {all(1..3, {all(1..3, {# > 0})})})`, 1, 1, "nest"},
		{`repeat("x", 10) == "x"`, 1, 1, ""},
		{`now() > signal.occurred_at`, 1, 1, ""},
	} {
		_, errs := rules.Compile(tc.src)
		if len(errs) == 0 {
			t.Errorf("%.60q compiled", tc.src)
			continue
		}
		e := errs[0]
		if e.Line != tc.line || (tc.col != 1 && e.Column != tc.col) || !strings.Contains(e.Message, tc.msgContain) || e.Column < 1 {
			t.Errorf("%.60q: %+v, want line %d column %d containing %q", tc.src, e, tc.line, tc.col, tc.msgContain)
		}
	}
}

func TestParseWindow(t *testing.T) {
	for s, ok := range map[string]bool{"30m": true, "24h": true, "7d": true, "0h": false, "-1d": false, "1w": false, "h": false, "1.5h": false} {
		if _, err := rules.ParseWindow(s); (err == nil) != ok {
			t.Errorf("%q: %v", s, err)
		}
	}
}

// The compile path never panics and always locates its errors, whatever
// it is fed.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{`signal.type == "x"`, `count("a", "1h") > 2`, `((((`, `"\u0000"`, `1..1000000`,
		`all(1..100, # > 0)`, `subject.attributes["x"] in ["a", "b"]`, "a\n\nb", `sum("a","b","99999d")`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		c, errs := rules.Compile(src)
		if len(errs) == 0 && c == nil {
			t.Fatal("no program and no error")
		}
		for _, e := range errs {
			if e.Line < 1 || e.Column < 1 || e.Message == "" {
				t.Fatalf("unlocated error %+v for %q", e, src)
			}
		}
	})
}

func TestEval(t *testing.T) {
	p, errs := rules.Compile(`signal.type == "report.filed" && count("report.filed", "1h") >= 10 &&
  signal.attributes["reason"] in ["fake", "scam"] && subject.followers > 1000 && sum("refund.requested", "amount_usd", "7d") > 99.5`)
	if errs != nil {
		t.Fatal(errs)
	}
	in := rules.Input{
		Signal:   rules.Signal{Type: "report.filed", Attributes: map[string]any{"reason": "scam"}},
		Subject:  rules.Subject{Followers: 5000},
		Velocity: map[string]float64{`count("report.filed", "1h")`: 10, `sum("refund.requested", "amount_usd", "7d")`: 100},
	}
	if hit, err := p.Eval(in, 0); !hit || err != nil {
		t.Fatalf("want a hit: %v %v", hit, err)
	}
	in.Velocity[`count("report.filed", "1h")`] = 9
	if hit, err := p.Eval(in, 0); hit || err != nil {
		t.Fatalf("want no hit below the threshold: %v %v", hit, err)
	}
	// A missing velocity answer reads as 0; a missing attribute as nil.
	in.Signal.Attributes = nil
	in.Velocity = nil
	if hit, err := p.Eval(in, 0); hit || err != nil {
		t.Fatalf("want no hit without values: %v %v", hit, err)
	}
	// Run-time errors come back located, never as panics.
	bad, _ := rules.Compile(`int(signal.attributes["n"]) > 3`)
	if _, err := bad.Eval(rules.Input{Signal: rules.Signal{Attributes: map[string]any{"n": "x"}}}, 0); err == nil {
		t.Fatal("want an evaluation error")
	}
}

// Hostile expressions that compile are cut off by the memory budget or the
// time limit: each evaluation returns an error, and all of them return
// well inside the test's deadline.
func TestHostileExpressionsAreCutOff(t *testing.T) {
	list := make([]any, 100)
	for i := range list {
		list[i] = i
	}
	text := strings.Repeat("a,", 999) + "a"
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, src := range []string{
		`len(1..100000000) > 0`,
		`all(1..9000, {all(1..9000, {# >= 0})})`,
		`all(split(signal.attributes["t"], ","), {all(split(signal.attributes["t"], ","), {len(#) == 1 && len(signal.attributes["t"]) > 0})})`,
		`any(1..9000, {any(split(signal.attributes["t"], ","), {# == "b" && len(string(#)) > 9})})`,
	} {
		p, errs := rules.Compile(src)
		if errs != nil {
			t.Fatalf("%s: %v", src, errs)
		}
		done := make(chan error, 1)
		go func() {
			_, err := p.Eval(rules.Input{Signal: rules.Signal{Attributes: map[string]any{"l": list, "t": text}}}, 20*time.Millisecond)
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("%s: evaluated without error", src)
			} else if !errors.Is(err, rules.ErrTimeLimit) && !strings.Contains(err.Error(), "memory budget") {
				t.Errorf("%s: %v", src, err)
			}
		case <-ctx.Done():
			t.Fatalf("%s was not cut off", src)
		}
	}
}

// Whether an expression may read the subject's attributes is decided
// conservatively: only named fields other than attributes are known not
// to. Each expression's answer is also checked against evaluation: one
// that is said not to read them gives the same answer without them.
func TestReadsSubjectAttributes(t *testing.T) {
	for src, want := range map[string]bool{
		`subject.kind == "seller" && subject.followers > 10`:                 false,
		`signal.attributes.category == "essentials"`:                         false,
		`count("report.filed", "1h") >= 3 && subject.strikes >= 1`:           false,
		`subject.attributes.category == "essentials"`:                        true,
		`subject["attributes"]["category"] == "essentials"`:                  true,
		`"category" in subject.attributes`:                                   true,
		`let s = subject; s.kind == "seller" && s.attributes.x == 1`:         true,
		`$env.subject.attributes.category == "essentials"`:                   true,
		`subject.kind == "buyer" || len(subject.attributes) > 0`:             true,
		`any(["essentials"], {# == subject.attributes.category})`:            true,
		`any(["seller"], {# == subject.kind})`:                               false,
		`subject.display_name contains "shop" ? subject.gmv_usd > 5 : false`: false,
	} {
		p, errs := rules.Compile(src)
		if errs != nil {
			t.Fatalf("%s: %v", src, errs)
		}
		if p.ReadsSubjectAttributes != want {
			t.Errorf("%s: reads subject attributes %v, want %v", src, p.ReadsSubjectAttributes, want)
		}
		in := rules.Input{Subject: rules.Subject{Kind: "seller", DisplayName: "a shop", GMVUSD: 10, Followers: 20, Strikes: 1,
			Attributes: map[string]any{"category": "essentials", "x": 1}}, Signal: rules.Signal{Attributes: map[string]any{"category": "essentials"}},
			Velocity: map[string]float64{`count("report.filed", "1h")`: 3}}
		with, err := p.Eval(in, 0)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		in.Subject.Attributes = nil
		without, err := p.Eval(in, 0)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if !want && with != without {
			t.Errorf("%s: said not to read the attributes, but answers %v with them and %v without", src, with, without)
		}
		if want && with == without {
			t.Errorf("%s: reads the attributes, but answers %v either way (the test input should tell)", src, with)
		}
	}
}

// One prepared input serves many programs, with the velocity answers and
// subject attributes changed between them, and answers what Eval answers;
// a program with loops cut off by its limit does not see later changes.
func TestEvalPreparedMatchesEval(t *testing.T) {
	srcs := []string{
		`count("report.filed", "1h") >= 3`,
		`sum("refund.requested", "amount_usd", "24h") > 100.5`,
		`distinct("report.filed", "reporter_id", "7d") >= 2 && subject.attributes.category == "essentials"`,
		`any(["a", "b"], {# == signal.attributes.reason}) && count("report.filed", "30m") > 0`,
	}
	vel := []map[string]float64{
		{`count("report.filed", "1h")`: 3, `count("report.filed", "30m")`: 1},
		{`sum("refund.requested", "amount_usd", "24h")`: 100.75, `distinct("report.filed", "reporter_id", "7d")`: 2},
		{`count("report.filed", "1h")`: 2, `sum("refund.requested", "amount_usd", "24h")`: 100.5},
	}
	attrs := []map[string]any{{"category": "essentials"}, {"category": "toys"}, nil}
	in := rules.Input{Signal: rules.Signal{Type: "report.filed", Attributes: map[string]any{"reason": "b"}}}
	e := rules.Prepare(in)
	hits := 0
	for _, v := range vel {
		for _, a := range attrs {
			e.SetVelocity(v)
			e.SetSubjectAttributes(a)
			in.Velocity, in.Subject.Attributes = v, a
			for _, src := range srcs {
				p, errs := rules.Compile(src)
				if errs != nil {
					t.Fatal(errs)
				}
				want, err1 := p.Eval(in, 0)
				got, err2 := p.EvalPrepared(e, 0)
				if err1 != nil || err2 != nil || got != want {
					t.Fatalf("%s with %v, %v: prepared %v (%v), Eval %v (%v)", src, v, a, got, err2, want, err1)
				}
				if got {
					hits++
				}
			}
		}
	}
	if hits == 0 || hits == len(vel)*len(attrs)*len(srcs) {
		t.Fatalf("%d hits: the cases should tell hits from misses", hits)
	}
}

// A looping evaluation cut off by its time limit goes on in the
// background with answers of its own: the caller may change the map of
// answers it handed in right away (the race detector watches).
func TestCutOffEvaluationKeepsItsOwnAnswers(t *testing.T) {
	text := strings.Repeat("a,", 999) + "a"
	p, errs := rules.Compile(`all(split(signal.attributes["t"], ","), {all(split(signal.attributes["t"], ","), {count("report.filed", "1h") >= 0})})`)
	if errs != nil {
		t.Fatal(errs)
	}
	vel := map[string]float64{`count("report.filed", "1h")`: 1}
	e := rules.Prepare(rules.Input{Signal: rules.Signal{Attributes: map[string]any{"t": text}}, Velocity: vel})
	if _, err := p.EvalPrepared(e, time.Millisecond); !errors.Is(err, rules.ErrTimeLimit) {
		t.Fatalf("want the time limit, got %v", err)
	}
	deadline := time.Now().Add(50 * time.Millisecond)
	for i := 0; time.Now().Before(deadline); i++ {
		vel[`count("report.filed", "1h")`] = float64(i)
		vel[fmt.Sprintf("k%d", i%100)] = 1
	}
}
