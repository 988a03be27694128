// Package rules is the rule engine: it compiles, type-checks and evaluates
// rule expressions. It is pure: velocity values are computed by the caller
// from the signals index and handed in, so evaluation touches no database.
package rules

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// Signal is the signal a rule is evaluated on, as rules see it.
type Signal struct {
	Type       string         `expr:"type" json:"type"`
	Source     string         `expr:"source" json:"source"`
	OccurredAt time.Time      `expr:"occurred_at" json:"occurred_at"`
	Attributes map[string]any `expr:"attributes" json:"attributes"`
}

// Subject is the signal's subject, as rules see it.
type Subject struct {
	Kind        string         `expr:"kind" json:"kind"`
	ExternalID  string         `expr:"external_id" json:"external_id"`
	Market      string         `expr:"market" json:"market"`
	DisplayName string         `expr:"display_name" json:"display_name"`
	Followers   int            `expr:"followers" json:"followers"`
	GMVUSD      int            `expr:"gmv_usd" json:"gmv_usd"`
	Strikes     int            `expr:"strikes" json:"strikes"`
	AgeDays     float64        `expr:"age_days" json:"age_days"`
	Attributes  map[string]any `expr:"attributes" json:"attributes"`
}

// Env is the typed environment of a rule expression: the signal, its
// subject, and velocity functions over the subject's stored signals
// (windows like "30m", "24h", "7d", at most 30 days, ending at the
// signal's time).
type Env struct {
	Signal  Signal  `expr:"signal"`
	Subject Subject `expr:"subject"`
	// count(type, window): the subject's signals of type in the window.
	Count func(signalType, window string) int `expr:"count"`
	// sum(type, attribute, window): the sum of a numeric attribute.
	Sum func(signalType, attribute, window string) float64 `expr:"sum"`
	// distinct(type, attribute, window): distinct values of an attribute.
	Distinct func(signalType, attribute, window string) int `expr:"distinct"`
}

// Limits of an expression.
const (
	MaxExpressionBytes = 4000
	MaxNodes           = 400
	MaxVelocityWindow  = 30 * 24 * time.Hour
	// MaxLoopNesting bounds closures inside closures (all(.., {any(.., {..})})).
	MaxLoopNesting = 2
	// MemoryBudget bounds what one evaluation may allocate (expr's units:
	// range and array elements).
	MemoryBudget = 10000
	// DefaultTimeLimit is how long one evaluation of a looping program may run.
	DefaultTimeLimit = 50 * time.Millisecond
)

// disabled builtins: repeat allocates before it is measured; now makes a
// rule's answer depend on when it runs (use signal.occurred_at), which
// would make backtests lie.
var disabled = []string{"repeat", "now"}

// namePattern is what signal types and attribute names in velocity calls
// look like.
var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._]{0,63}$`)

// ExprError is a problem in a rule expression, located for the editor.
type ExprError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// VelocityCall is one velocity function call of an expression, with
// literal arguments.
type VelocityCall struct {
	Func      string // count | sum | distinct
	Type      string
	Attribute string // sum and distinct
	Window    time.Duration
	// Key names the call as the expression wrote it, canonically quoted:
	// count("report.filed", "1h").
	Key string
}

// Program is a compiled, type-checked rule expression.
type Program struct {
	program  *vm.Program
	Source   string
	Velocity []VelocityCall
	// Loops says the expression has closures; only such programs can run
	// long, so only they run under the time limit's watchdog.
	Loops bool
	// ReadsSubjectAttributes says the expression may read
	// subject.attributes (decided conservatively: any use of the subject
	// other than a named field other than attributes counts), so callers
	// can skip parsing a subject's attributes for rules that never look.
	ReadsSubjectAttributes bool
}

// VelocityKeys lists the keys of the velocity calls.
func (p *Program) VelocityKeys() []string {
	out := make([]string, 0, len(p.Velocity))
	for _, v := range p.Velocity {
		out = append(out, v.Key)
	}
	return out
}

// Compile parses and type-checks a rule expression against Env: it must
// yield a boolean, stay within the size budgets, nest loops at most two
// deep, and call the velocity functions with literal signal types and
// windows of at most 30 days (so they can be answered from the signals
// index). Errors carry line and column (1-based).
func Compile(source string) (*Program, []ExprError) {
	if strings.TrimSpace(source) == "" {
		return nil, []ExprError{{Line: 1, Column: 1, Message: "write an expression that is true when the rule hits"}}
	}
	if len(source) > MaxExpressionBytes || !utf8.ValidString(source) {
		return nil, []ExprError{{Line: 1, Column: 1, Message: fmt.Sprintf("an expression is valid UTF-8 of at most %d bytes", MaxExpressionBytes)}}
	}
	program, err := compileExpr(source)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			return nil, []ExprError{{Line: max(fe.Line, 1), Column: fe.Column + 1, Message: fe.Message}}
		}
		return nil, []ExprError{{Line: 1, Column: 1, Message: err.Error()}}
	}
	c := &checker{source: source}
	c.walk(program.Node(), 0)
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	return &Program{program: program, Source: source, Velocity: c.calls, Loops: c.loops,
		ReadsSubjectAttributes: readsSubjectAttributes(program.Node())}, nil
}

// readsSubjectAttributes tells whether an expression may read the
// subject's attributes: true unless every use of the subject (and none of
// the whole environment, $env) is a named field other than attributes.
func readsSubjectAttributes(root ast.Node) bool {
	v := &subjectUses{}
	ast.Walk(&root, v)
	return v.whole || v.subject > v.namedFields
}

type subjectUses struct {
	subject     int  // identifiers naming the subject
	namedFields int  // of those, the object of subject.<field other than attributes>
	whole       bool // $env: the whole environment, subject included
}

func (u *subjectUses) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.IdentifierNode:
		switch x.Value {
		case "subject":
			u.subject++
		case "$env":
			u.whole = true
		}
	case *ast.MemberNode:
		id, isID := x.Node.(*ast.IdentifierNode)
		field, isName := x.Property.(*ast.StringNode)
		if isID && id.Value == "subject" && isName && field.Value != "attributes" {
			u.namedFields++
		}
	}
}

// compileExpr runs expr's compiler, turning a panic on pathological input
// into an error rather than taking the server down.
func compileExpr(source string) (p *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("the expression could not be compiled: %v", r)
		}
	}()
	opts := []expr.Option{expr.Env(Env{}), expr.AsBool(), expr.MaxNodes(MaxNodes)}
	for _, name := range disabled {
		opts = append(opts, expr.DisableBuiltin(name))
	}
	return expr.Compile(source, opts...)
}

// checker requires literal velocity arguments and bounded windows, and
// measures loop nesting.
type checker struct {
	source string
	errs   []ExprError
	calls  []VelocityCall
	loops  bool
}

func (c *checker) walk(n ast.Node, depth int) {
	if n == nil || len(c.errs) > 0 {
		return
	}
	switch x := n.(type) {
	case *ast.PredicateNode:
		c.loops = true
		if depth+1 > MaxLoopNesting {
			c.fail(n, fmt.Sprintf("loops nest at most %d deep", MaxLoopNesting))
			return
		}
		c.walk(x.Node, depth+1)
		return
	case *ast.CallNode:
		c.velocity(x)
	}
	for _, child := range children(n) {
		c.walk(child, depth)
	}
}

// children lists a node's sub-expressions.
func children(n ast.Node) []ast.Node {
	switch x := n.(type) {
	case *ast.UnaryNode:
		return []ast.Node{x.Node}
	case *ast.BinaryNode:
		return []ast.Node{x.Left, x.Right}
	case *ast.ChainNode:
		return []ast.Node{x.Node}
	case *ast.MemberNode:
		return []ast.Node{x.Node, x.Property}
	case *ast.SliceNode:
		return []ast.Node{x.Node, x.From, x.To}
	case *ast.CallNode:
		return append([]ast.Node{x.Callee}, x.Arguments...)
	case *ast.BuiltinNode:
		out := append([]ast.Node{}, x.Arguments...)
		if x.Map != nil {
			out = append(out, x.Map)
		}
		return out
	case *ast.ConditionalNode:
		return []ast.Node{x.Cond, x.Exp1, x.Exp2}
	case *ast.VariableDeclaratorNode:
		return []ast.Node{x.Value, x.Expr}
	case *ast.SequenceNode:
		return x.Nodes
	case *ast.ArrayNode:
		return x.Nodes
	case *ast.MapNode:
		return x.Pairs
	case *ast.PairNode:
		return []ast.Node{x.Key, x.Value}
	}
	return nil
}

func (c *checker) velocity(call *ast.CallNode) {
	callee, ok := call.Callee.(*ast.IdentifierNode)
	if !ok || (callee.Value != "count" && callee.Value != "sum" && callee.Value != "distinct") {
		return
	}
	var args []string
	for i, a := range call.Arguments {
		s, isLit := a.(*ast.StringNode)
		if !isLit {
			c.fail(a, fmt.Sprintf("%s: argument %d must be a quoted literal", callee.Value, i+1))
			return
		}
		args = append(args, s.Value)
	}
	if len(args) == 0 {
		return
	}
	w := call.Arguments[len(args)-1]
	d, err := ParseWindow(args[len(args)-1])
	if err != nil {
		c.fail(w, err.Error())
		return
	} else if d > MaxVelocityWindow {
		c.fail(w, fmt.Sprintf("window %q is longer than 30 days", args[len(args)-1]))
		return
	}
	if !namePattern.MatchString(args[0]) {
		c.fail(call.Arguments[0], fmt.Sprintf("%q is not a signal type (lower-case letters, digits, dots, underscores)", args[0]))
		return
	}
	v := VelocityCall{Func: callee.Value, Type: args[0], Window: d}
	if len(args) == 3 {
		if !namePattern.MatchString(strings.ToLower(args[1])) {
			c.fail(call.Arguments[1], fmt.Sprintf("%q is not an attribute name (letters, digits, dots, underscores; at most 64)", args[1]))
			return
		}
		v.Attribute = args[1]
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = strconv.Quote(a)
	}
	v.Key = callee.Value + "(" + strings.Join(quoted, ", ") + ")"
	for _, seen := range c.calls {
		if seen.Key == v.Key {
			return
		}
	}
	c.calls = append(c.calls, v)
}

func (c *checker) fail(n ast.Node, msg string) {
	line, col := lineColumn(c.source, n.Location().From)
	c.errs = append(c.errs, ExprError{Line: line, Column: col, Message: msg})
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

// Input is what one evaluation sees: the signal, its subject and the
// answers to the program's velocity calls (by key; missing ones are 0).
type Input struct {
	Signal   Signal
	Subject  Subject
	Velocity map[string]float64
}

// ErrTimeLimit is an evaluation cut off by its time limit.
var ErrTimeLimit = errors.New("evaluation exceeded its time limit")

// vms reuses expr VMs across evaluations.
var vms = sync.Pool{New: func() any { return &vm.VM{} }}

// Eval runs the program on in. Programs without loops run in line (their
// cost is bounded by their node count); programs with loops run on a
// watchdog goroutine and are abandoned after limit (the goroutine still
// ends: loops nest at most two deep over bounded data). A panic or a
// budget overrun inside the VM comes back as an error.
func (p *Program) Eval(in Input, limit time.Duration) (bool, error) {
	return p.EvalPrepared(Prepare(in), limit)
}

// Evaluation is an input prepared once for every program evaluated on it
// (the rules listening to one signal): the environment, with its velocity
// functions, is built once instead of once per program.
type Evaluation struct {
	env      Env
	velocity map[string]float64
}

// emptyAttributes stands in for missing attributes; expressions cannot
// write to it.
var emptyAttributes = map[string]any{}

// Prepare builds the evaluation of in.
func Prepare(in Input) *Evaluation {
	e := &Evaluation{velocity: in.Velocity}
	e.env = Env{Signal: in.Signal, Subject: in.Subject, Count: e.count, Sum: e.sum, Distinct: e.distinct}
	if e.env.Signal.Attributes == nil {
		e.env.Signal.Attributes = emptyAttributes
	}
	if e.env.Subject.Attributes == nil {
		e.env.Subject.Attributes = emptyAttributes
	}
	return e
}

// SetVelocity replaces the velocity answers (by key; missing ones are 0).
func (e *Evaluation) SetVelocity(v map[string]float64) { e.velocity = v }

// SetSubjectAttributes replaces the subject's attributes.
func (e *Evaluation) SetSubjectAttributes(attrs map[string]any) {
	if attrs == nil {
		attrs = emptyAttributes
	}
	e.env.Subject.Attributes = attrs
}

// The velocity functions look their answer up by the call's key. The
// checker allows only plain names and windows as arguments, whose quoted
// form needs no escapes, so the key is put together directly (short keys
// without an allocation).
func (e *Evaluation) count(t, w string) int       { return int(e.answer("count", t, "", w)) }
func (e *Evaluation) sum(t, a, w string) float64  { return e.answer("sum", t, a, w) }
func (e *Evaluation) distinct(t, a, w string) int { return int(e.answer("distinct", t, a, w)) }

// answer is the value of fn(t, a, w), or fn(t, w) without an attribute:
// the key is VelocityCall.Key's spelling.
func (e *Evaluation) answer(fn, t, a, w string) float64 {
	if plain(t) && plain(a) && plain(w) {
		if a == "" {
			return e.velocity[fn+`("`+t+`", "`+w+`")`]
		}
		return e.velocity[fn+`("`+t+`", "`+a+`", "`+w+`")`]
	}
	if a == "" {
		return e.velocity[fn+"("+strconv.Quote(t)+", "+strconv.Quote(w)+")"]
	}
	return e.velocity[fn+"("+strconv.Quote(t)+", "+strconv.Quote(a)+", "+strconv.Quote(w)+")"]
}

// plain tells whether strconv.Quote(s) is s between double quotes.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// EvalPrepared runs the program on a prepared input; see Eval.
func (p *Program) EvalPrepared(e *Evaluation, limit time.Duration) (bool, error) {
	if !p.Loops {
		return p.run(e)
	}
	if limit <= 0 {
		limit = DefaultTimeLimit
	}
	// An evaluation cut off by the limit goes on in the background: it
	// gets an environment and velocity answers of its own, so the caller
	// may go on changing e and the map it handed in.
	own := Prepare(Input{Signal: e.env.Signal, Subject: e.env.Subject, Velocity: maps.Clone(e.velocity)})
	type answer struct {
		hit bool
		err error
	}
	done := make(chan answer, 1)
	go func() {
		hit, err := p.run(own)
		done <- answer{hit, err}
	}()
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case a := <-done:
		return a.hit, a.err
	case <-t.C:
		return false, ErrTimeLimit
	}
}

func (p *Program) run(e *Evaluation) (hit bool, err error) {
	v := vms.Get().(*vm.VM)
	defer vms.Put(v)
	v.MemoryBudget = MemoryBudget
	defer func() {
		if r := recover(); r != nil {
			hit, err = false, fmt.Errorf("evaluation failed: %v", r)
		}
	}()
	out, err := v.Run(p.program, &e.env)
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			return false, fmt.Errorf("line %d, column %d: %s", max(fe.Line, 1), fe.Column+1, fe.Message)
		}
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("the expression yielded %T, not a boolean", out)
	}
	return b, nil
}
