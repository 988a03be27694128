package app

import (
	"context"

	"github.com/docket-tns/docket/models"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "docket-demo-password"

// DemoUsers are the demo's accounts, one per role, in the markets a real
// team would hold them.
var DemoUsers = []struct {
	Email, Name, Role string
	Markets           []string
}{
	{"admin@demo.docket.test", "Aisyah Rahman", "admin", []string{AllMarkets}},
	{"lead@demo.docket.test", "Nguyen Minh Anh", "lead", []string{"VN", "TH"}},
	{"reviewer@demo.docket.test", "Tran Thi Lan", "reviewer", []string{"VN"}},
	{"reviewer.id@demo.docket.test", "Putri Wulandari", "reviewer", []string{"ID"}},
	{"analyst@demo.docket.test", "Somchai Wongsakul", "analyst", []string{AllMarkets}},
	{"auditor@demo.docket.test", "Maria Santos", "auditor", []string{AllMarkets}},
	{"qa@demo.docket.test", "Lim Wei Ling", "qa", []string{"VN", "TH"}},
}

// DemoSummary says what LoadDemo did.
type DemoSummary struct {
	UsersCreated int
	UsersKept    int
	CasesCreated int
}

// LoadDemo loads the synthetic marketplace: the accounts, then subjects and
// cases in every status. It is idempotent: what exists is kept, so running
// it twice changes nothing.
func (a *App) LoadDemo(ctx context.Context) (DemoSummary, error) {
	sum, err := a.LoadDemoUsers(ctx)
	if err != nil {
		return sum, err
	}
	sum.CasesCreated, err = a.loadDemoCases(ctx)
	return sum, err
}

// LoadDemoUsers creates only the demo accounts (tests use it).
func (a *App) LoadDemoUsers(ctx context.Context) (DemoSummary, error) {
	var sum DemoSummary
	actor := SystemActor("demo")
	for _, u := range DemoUsers {
		if _, err := models.FindUserByEmail(ctx, a.read(ctx), u.Email); err == nil {
			sum.UsersKept++
			continue
		} else if models.KindOf(err) != models.KindNotFound {
			return sum, err
		}
		in := NewUser{Email: u.Email, Name: u.Name, Password: DemoPassword}
		for _, m := range u.Markets {
			in.Grants = append(in.Grants, models.Grant{Role: u.Role, Market: m})
		}
		if _, err := a.CreateUser(ctx, actor, in); err != nil {
			return sum, err
		}
		sum.UsersCreated++
	}
	return sum, nil
}
