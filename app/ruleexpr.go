package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"gorm.io/gorm"
)

// RuleSignal is the signal a rule is evaluated on, as rules see it.
type RuleSignal struct {
	Type       string         `expr:"type"`
	Source     string         `expr:"source"`
	OccurredAt time.Time      `expr:"occurred_at"`
	Attributes map[string]any `expr:"attributes"`
}

// RuleSubject is the signal's subject, as rules see it.
type RuleSubject struct {
	Kind        string         `expr:"kind"`
	ExternalID  string         `expr:"external_id"`
	Market      string         `expr:"market"`
	DisplayName string         `expr:"display_name"`
	Followers   int            `expr:"followers"`
	GMVUSD      int            `expr:"gmv_usd"`
	Strikes     int            `expr:"strikes"`
	AgeDays     float64        `expr:"age_days"`
	Attributes  map[string]any `expr:"attributes"`
}

// RuleEnv is the typed environment of a rule expression: the signal, its
// subject, and velocity functions over the subject's stored signals
// (windows like "30m", "24h", "7d", at most 30 days).
type RuleEnv struct {
	Signal  RuleSignal  `expr:"signal"`
	Subject RuleSubject `expr:"subject"`
	// count(type, window): the subject's signals of type in the window.
	Count func(signalType, window string) int `expr:"count"`
	// sum(type, attribute, window): the sum of a numeric attribute.
	Sum func(signalType, attribute, window string) float64 `expr:"sum"`
	// distinct(type, attribute, window): distinct values of an attribute.
	Distinct func(signalType, attribute, window string) int `expr:"distinct"`
}

// Rule expression limits.
const (
	MaxRuleExpressionBytes = 4000
	maxRuleNodes           = 400
	MaxVelocityWindow      = 30 * 24 * time.Hour
)

// ExprError is a problem in a rule expression, located for the editor.
type ExprError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// CompiledRule is a type-checked rule expression.
type CompiledRule struct {
	Program *vm.Program
	// Velocity lists the velocity calls the expression makes, e.g.
	// count("report.filed", "1h").
	Velocity []string
}

// CompileRule parses and type-checks a rule expression against RuleEnv:
// it must yield a boolean, stay within the size budgets, and call the
// velocity functions with literal signal types and windows of at most 30
// days (so they can be answered from the signals index). Errors carry line
// and column (1-based).
func CompileRule(source string) (CompiledRule, []ExprError) {
	if strings.TrimSpace(source) == "" {
		return CompiledRule{}, []ExprError{{Line: 1, Column: 1, Message: "write an expression that is true when the rule hits"}}
	}
	if len(source) > MaxRuleExpressionBytes || !utf8.ValidString(source) {
		return CompiledRule{}, []ExprError{{Line: 1, Column: 1, Message: fmt.Sprintf("an expression is valid UTF-8 of at most %d bytes", MaxRuleExpressionBytes)}}
	}
	program, err := compileExpr(source)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			return CompiledRule{}, []ExprError{{Line: max(fe.Line, 1), Column: fe.Column + 1, Message: fe.Message}}
		}
		return CompiledRule{}, []ExprError{{Line: 1, Column: 1, Message: err.Error()}}
	}
	v := &velocityCheck{source: source}
	root := program.Node()
	ast.Walk(&root, v)
	if len(v.errs) > 0 {
		return CompiledRule{}, v.errs
	}
	return CompiledRule{Program: program, Velocity: v.calls}, nil
}

// compileExpr runs expr's compiler, turning a panic on pathological input
// into an error rather than taking the server down.
func compileExpr(source string) (p *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("the expression could not be compiled: %v", r)
		}
	}()
	return expr.Compile(source, expr.Env(RuleEnv{}), expr.AsBool(), expr.MaxNodes(maxRuleNodes))
}

// velocityCheck requires literal types and bounded windows in velocity calls.
type velocityCheck struct {
	source string
	errs   []ExprError
	calls  []string
}

func (v *velocityCheck) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	callee, ok := call.Callee.(*ast.IdentifierNode)
	if !ok || (callee.Value != "count" && callee.Value != "sum" && callee.Value != "distinct") {
		return
	}
	var args []string
	for i, a := range call.Arguments {
		s, isLit := a.(*ast.StringNode)
		if !isLit {
			v.fail(a, fmt.Sprintf("%s: argument %d must be a quoted literal", callee.Value, i+1))
			return
		}
		args = append(args, strconv.Quote(s.Value))
	}
	if n := len(call.Arguments); n > 0 {
		w := call.Arguments[n-1].(*ast.StringNode)
		if d, err := ParseWindow(w.Value); err != nil {
			v.fail(w, err.Error())
			return
		} else if d > MaxVelocityWindow {
			v.fail(w, fmt.Sprintf("window %q is longer than 30 days", w.Value))
			return
		}
	}
	v.calls = append(v.calls, callee.Value+"("+strings.Join(args, ", ")+")")
}

func (v *velocityCheck) fail(n ast.Node, msg string) {
	line, col := lineColumn(v.source, n.Location().From)
	v.errs = append(v.errs, ExprError{Line: line, Column: col, Message: msg})
}

// lineColumn turns a rune offset into a 1-based line and column.
func lineColumn(source string, offset int) (int, int) {
	line, col := 1, 1
	for i, r := range []rune(source) {
		if i >= offset {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// ParseWindow reads a velocity window: a positive number of minutes (m),
// hours (h) or days (d), e.g. "30m", "24h", "7d".
func ParseWindow(s string) (time.Duration, error) {
	bad := fmt.Errorf("window %q: write a whole number of minutes, hours or days, like \"30m\", \"24h\" or \"7d\"", s)
	if len(s) < 2 {
		return 0, bad
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 || n > 100000 {
		return 0, bad
	}
	unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}[s[len(s)-1]]
	if unit == 0 {
		return 0, bad
	}
	return time.Duration(n) * unit, nil
}

// RuleValidation is what the rule editor shows under the expression.
type RuleValidation struct {
	Valid    bool        `json:"valid"`
	Errors   []ExprError `json:"errors"`
	Velocity []string    `json:"velocity"`
}

// ValidateRule compiles an expression for the editor (rule.read anywhere).
func (a *App) ValidateRule(ctx context.Context, actor Actor, source string) (RuleValidation, error) {
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		_, err := a.requireSomewhere(ctx, tx, actor, "rule.read")
		return err
	})
	if err != nil {
		return RuleValidation{}, err
	}
	c, errs := CompileRule(source)
	out := RuleValidation{Valid: len(errs) == 0, Errors: errs, Velocity: c.Velocity}
	if out.Errors == nil {
		out.Errors = []ExprError{}
	}
	if out.Velocity == nil {
		out.Velocity = []string{}
	}
	return out, nil
}
