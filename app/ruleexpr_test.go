package app_test

import (
	"strings"
	"testing"

	"github.com/docket-tns/docket/app"
)

func TestCompileRule(t *testing.T) {
	ok := `signal.type == "report.filed" && count("report.filed", "1h") >= 20 &&
  subject.followers > 10000 && sum("refund.requested", "amount_usd", "7d") > 500.0 && distinct("report.filed", "reporter", "24h") >= 5`
	c, errs := app.CompileRule(ok)
	if len(errs) != 0 || c.Program == nil || len(c.Velocity) != 3 || c.Velocity[0] != `count("report.filed", "1h")` {
		t.Fatalf("valid rule: %+v %+v", c.Velocity, errs)
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
	} {
		_, errs := app.CompileRule(tc.src)
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
		if _, err := app.ParseWindow(s); (err == nil) != ok {
			t.Errorf("%q: %v", s, err)
		}
	}
}

// The compile path never panics and always locates its errors, whatever
// it is fed.
func FuzzCompileRule(f *testing.F) {
	for _, s := range []string{`signal.type == "x"`, `count("a", "1h") > 2`, `((((`, `"\u0000"`, `1..1000000`,
		`all(1..100, # > 0)`, `subject.attributes["x"] in ["a", "b"]`, "a\n\nb", `sum("a","b","99999d")`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		c, errs := app.CompileRule(src)
		if len(errs) == 0 && c.Program == nil {
			t.Fatal("no program and no error")
		}
		for _, e := range errs {
			if e.Line < 1 || e.Column < 1 || e.Message == "" {
				t.Fatalf("unlocated error %+v for %q", e, src)
			}
		}
	})
}
