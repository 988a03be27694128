package app

import (
	"context"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/app/rules"
)

// RuleValidation is what the rule editor shows under the expression.
type RuleValidation struct {
	Valid    bool              `json:"valid"`
	Errors   []rules.ExprError `json:"errors"`
	Velocity []string          `json:"velocity"`
}

func validation(p *rules.Program, errs []rules.ExprError) RuleValidation {
	out := RuleValidation{Valid: len(errs) == 0, Errors: errs, Velocity: []string{}}
	if out.Errors == nil {
		out.Errors = []rules.ExprError{}
	}
	if p != nil {
		out.Velocity = p.VelocityKeys()
	}
	return out
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
	return validation(rules.Compile(source)), nil
}
