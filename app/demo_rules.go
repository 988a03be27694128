package app

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/docket-tns/docket/models"
)

var allMarkets = []string{"ID", "MY", "PH", "SG", "TH", "VN"}

// demoRule is one rule of the demo set and the status it ends in.
type demoRule struct {
	in     RuleInput
	status string
}

var demoRules = []demoRule{
	{RuleInput{Name: "Livestream report burst", Description: "A wave of viewer reports from many different viewers during one stream: harassment or a scam pitch in progress.",
		Markets: allMarkets, SignalTypes: []string{"report.filed"}, Policy: "livestream_harassment", Severity: "high", PriorityBoost: 50, AutoTriage: true,
		Expression: "subject.kind == \"livestream\"\n  && count(\"report.filed\", \"30m\") >= 25\n  && distinct(\"report.filed\", \"reporter_id\", \"30m\") >= 15"}, models.RuleLive},
	{RuleInput{Name: "Seller refund-rate spike", Description: "Many refund requests for one seller in a day, adding up to real money: items not as described.",
		Markets: allMarkets, SignalTypes: []string{"refund.requested"}, Policy: "misleading_claim", Severity: "medium", PriorityBoost: 20,
		Expression: "subject.kind == \"seller\"\n  && count(\"refund.requested\", \"24h\") >= 20\n  && sum(\"refund.requested\", \"amount_usd\", \"24h\") > 1500"}, models.RuleLive},
	{RuleInput{Name: "Counterfeit model on new shops", Description: "The counterfeit image model is confident and the shop is less than a month old.",
		Markets: allMarkets, SignalTypes: []string{"listing.scored"}, Policy: "counterfeit", Severity: "high", PriorityBoost: 30, AutoTriage: true,
		Expression: "subject.kind == \"listing\"\n  && signal.attributes[\"counterfeit_score\"] >= 0.92\n  && signal.attributes[\"shop_age_days\"] < 30"}, models.RuleLive},
	{RuleInput{Name: "Prohibited keyword in title", Description: "Listing titles matching the weapons or drugs keyword lists. In shadow while the lists are tuned.",
		Markets: []string{"TH", "VN"}, SignalTypes: []string{"listing.keyword_hit"}, Policy: "prohibited_item", Severity: "high",
		Expression: "signal.attributes[\"keyword_list\"] in [\"weapons\", \"drugs\"]\n  && signal.attributes[\"match_confidence\"] > 0.8"}, models.RuleShadow},
	{RuleInput{Name: "Follower surge on small creators", Description: "Tens of thousands of followers in a day for an account that had few.",
		Markets: allMarkets, SignalTypes: []string{"follower.delta"}, Policy: "fake_engagement", Severity: "medium",
		Expression: "signal.attributes[\"gained_24h\"] > 50000 && subject.followers < 200000"}, models.RuleShadow},
	{RuleInput{Name: "Off-platform payment in chat", Description: "Repeated chat flags mentioning bank transfers: steering buyers off the platform.",
		Markets: []string{"ID", "PH", "VN"}, SignalTypes: []string{"chat.flagged"}, Policy: "off_platform_transaction", Severity: "medium",
		Expression: "count(\"chat.flagged\", \"7d\") >= 3 && signal.attributes[\"mentions_bank\"] == true"}, models.RuleDraft},
	{RuleInput{Name: "Power banks without certificate", Description: "Retired: replaced by the marketplace's certificate check at listing time.",
		Markets: allMarkets, SignalTypes: []string{"listing.scored"}, Policy: "dangerous_goods", Severity: "critical",
		Expression: "signal.attributes[\"category\"] == \"power_bank\" && signal.attributes[\"has_certificate\"] == false"}, models.RuleDisabled},
}

// demoSignal is one generated signal of the history.
type demoSignal struct {
	at    time.Time
	input SignalInput
}

// loadDemoRules writes the demo rule set (drafted by the analyst, moved to
// shadow, published by the admin) and replays 14 days of generated signal
// history through it, on a clock that follows the signals, so rules have
// hits, cases and (after reviewers decide most of them) quality figures,
// and backtests have something to find.
func (a *App) loadDemoRules(ctx context.Context, people map[string]Actor, leadOf func(string) (Actor, Actor)) (int, error) {
	var existing int64
	if err := a.read(ctx).Model(&models.Rule{}).Count(&existing).Error; err != nil || existing > 0 {
		return 0, err
	}
	analyst := people["analyst@demo.docket.test"]
	admin, err := models.FindUserByEmail(ctx, a.read(ctx), "admin@demo.docket.test")
	if err != nil {
		return 0, err
	}
	publisher := Actor{Kind: ActorUser, ID: admin.ID, Label: admin.Email}
	end := a.now()
	start := end.Add(-14 * 24 * time.Hour)
	clock := start.Add(-time.Hour)
	demo := *a
	demo.now = func() time.Time { return clock.UTC().Truncate(time.Microsecond) }
	for _, r := range demoRules {
		in := r.in
		in.Status = models.RuleDraft
		v, err := demo.CreateRule(ctx, analyst, in)
		if err != nil {
			return 0, fmt.Errorf("demo rule %q: %w", in.Name, err)
		}
		steps := map[string][]string{models.RuleShadow: {models.RuleShadow}, models.RuleLive: {models.RuleShadow, models.RuleLive},
			models.RuleDisabled: {models.RuleShadow, models.RuleLive, models.RuleDisabled}}[r.status]
		for _, st := range steps {
			in.Status = st
			who := analyst
			if st == models.RuleLive || st == models.RuleDisabled {
				who = publisher
			}
			in.Note = map[string]string{models.RuleShadow: "Shadow first to see the hit rate.",
				models.RuleLive: "Backtest precision looked right; publishing.", models.RuleDisabled: "Retired."}[st]
			if v, err = demo.UpdateRule(ctx, who, v.ID, v.Version, in); err != nil {
				return 0, fmt.Errorf("demo rule %q to %s: %w", in.Name, st, err)
			}
		}
	}
	tok, err := a.CreateToken(ctx, SystemActor("demo"), NewToken{Name: "Risk engine (demo)", Scopes: []string{"signals:write"}, Markets: []string{AllMarkets}})
	if err != nil {
		return 0, err
	}
	sender := Actor{Kind: ActorToken, ID: tok.Token.ID, Label: tok.Token.Name}
	history := demoHistory(start, end)
	stored := 0
	for batch := range slices.Chunk(history, 200) {
		clock = batch[len(batch)-1].at.Add(time.Second)
		raw := make([]json.RawMessage, len(batch))
		for i, s := range batch {
			if raw[i], err = json.Marshal(s.input); err != nil {
				return stored, err
			}
		}
		res, err := demo.IngestSignals(ctx, sender, raw)
		if err != nil {
			return stored, fmt.Errorf("demo signals: %w", err)
		}
		stored += res.Accepted
	}
	if err := a.decideDemoHits(ctx, &demo, &clock, end, leadOf); err != nil {
		return stored, err
	}
	_, err = a.CheckRuleAlerts(ctx)
	return stored, err
}

// decideDemoHits has reviewers decide most cases the rules opened, a few
// hours after they opened, with outcomes that give each rule a realistic
// precision.
func (a *App) decideDemoHits(ctx context.Context, demo *App, clock *time.Time, end time.Time, leadOf func(string) (Actor, Actor)) error {
	var cases []models.Case
	if err := a.read(ctx).Where("created_by LIKE ? AND status IN ?", "system:rule %", []models.CaseStatus{models.StatusNew, models.StatusTriaged}).
		Order("created_at, id").Find(&cases).Error; err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(19, 23))
	precision := map[string]float64{"livestream_harassment": 0.8, "misleading_claim": 0.55, "counterfeit": 0.85}
	for i, c := range cases {
		if i%4 == 3 {
			continue // left open for the queues
		}
		at := c.CreatedAt.Add(time.Duration(2+rng.IntN(30)) * time.Hour)
		if at.After(end.Add(-time.Hour)) {
			continue
		}
		*clock = at
		lead, rev := leadOf(c.Market)
		v := c.Version
		act := func(who Actor, action models.CaseAction, in CaseActionInput) error {
			in.Version = v
			d, err := demo.ActOnCase(ctx, who, c.ID, action, in)
			if err == nil {
				v = d.Version
			}
			return err
		}
		if c.Status == models.StatusNew {
			if err := act(lead, models.ActionTriage, CaseActionInput{}); err != nil {
				return fmt.Errorf("demo triage %d: %w", c.ID, err)
			}
		}
		if err := act(rev, models.ActionClaim, CaseActionInput{}); err != nil {
			return fmt.Errorf("demo claim %d: %w", c.ID, err)
		}
		*clock = at.Add(20 * time.Minute)
		d := &DecisionInput{Outcome: "no_violation", Rationale: "Signals explained by a legitimate sale event; no breach found."}
		if rng.Float64() < precision[c.PolicyCode] {
			d = &DecisionInput{Outcome: "violation", Actions: []string{"warn", "remove_content"}, Rationale: "Confirmed on review of the evidence the rule collected."}
		}
		if err := act(rev, models.ActionResolve, CaseActionInput{Decision: d}); err != nil {
			return fmt.Errorf("demo resolve %d: %w", c.ID, err)
		}
	}
	return nil
}

// demoHistory generates 14 days of signals, oldest first: background
// reports, refunds, model scores, keyword hits, follower deltas and chat
// flags, with bursts and spikes the demo rules catch (and near misses
// they should not).
func demoHistory(start, end time.Time) []demoSignal {
	rng := rand.New(rand.NewPCG(3, 5))
	var out []demoSignal
	seq := 0
	span := end.Sub(start) - time.Hour
	at := func() time.Time { return start.Add(time.Duration(rng.Int64N(int64(span)))) }
	add := func(t time.Time, typ, kind, ext, market, name string, followers int, attrs map[string]any) {
		seq++
		out = append(out, demoSignal{at: t, input: SignalInput{Source: "risk-engine", SourceID: fmt.Sprintf("demo-%06d", seq), Type: typ,
			OccurredAt: t.UTC().Format(time.RFC3339Nano),
			Subject:    SubjectInput{Kind: kind, ExternalID: ext, Market: market, DisplayName: name, Attributes: map[string]any{"followers": followers}},
			Attributes: attrs}})
	}
	hosts := []string{"Flash Sale", "Beauty Live", "Gadget Night", "Fashion Haul", "Snack Party"}
	for mi, m := range allMarkets {
		lower := map[string]string{"ID": "id", "MY": "my", "PH": "ph", "SG": "sg", "TH": "th", "VN": "vn"}[m]
		// Livestreams: a few reports a day; two in three markets burst.
		for k := range 3 {
			ext := fmt.Sprintf("%s-live-%d", lower, 7000+mi*10+k)
			name := fmt.Sprintf("%s %s", hosts[(mi+k)%len(hosts)], m)
			followers := 40_000 + rng.IntN(900_000)
			for range 20 + rng.IntN(25) {
				add(at(), "report.filed", "livestream", ext, m, name, followers, map[string]any{"reporter_id": fmt.Sprintf("u%d", rng.IntN(90000)), "reason": "spam"})
			}
			if k < 2 && (mi+k)%3 != 0 {
				t0 := at()
				reports := 20 + rng.IntN(30) // some bursts fall short of 25
				for r := range reports {
					add(t0.Add(time.Duration(r*25)*time.Second), "report.filed", "livestream", ext, m, name, followers,
						map[string]any{"reporter_id": fmt.Sprintf("b%d-%d", mi, rng.IntN(40)), "reason": []string{"harassment", "scam", "hate"}[rng.IntN(3)]})
				}
			}
		}
		// Sellers: steady refunds; one spike a market, one near miss.
		for k := range 3 {
			ext := fmt.Sprintf("%s-shop-%d", lower, 3000+mi*10+k)
			name := fmt.Sprintf("Shop %s %d", m, k+1)
			for range 30 + rng.IntN(30) {
				add(at(), "refund.requested", "seller", ext, m, name, 5000, map[string]any{"amount_usd": 5 + rng.IntN(60), "reason": "not_as_described"})
			}
			if k < 2 {
				t0 := at()
				n := 22 + rng.IntN(15)
				amount := 90
				if k == 1 {
					amount = 30 // many refunds, small money: a near miss
				}
				for r := range n {
					add(t0.Add(time.Duration(r*30)*time.Minute), "refund.requested", "seller", ext, m, name, 5000,
						map[string]any{"amount_usd": amount + rng.IntN(40), "reason": "not_as_described"})
				}
			}
		}
		// Listings scored by the counterfeit model.
		for k := range 12 {
			ext := fmt.Sprintf("%s-lst-%d", lower, 50000+mi*100+k)
			score, age := rng.Float64()*0.8, 30+rng.IntN(900)
			switch {
			case k < 3:
				score, age = 0.92+rng.Float64()*0.07, rng.IntN(29)
			case k < 5:
				score = 0.93 + rng.Float64()*0.05 // confident, but an old shop
			}
			add(at(), "listing.scored", "listing", ext, m, fmt.Sprintf("Listing %s-%d", m, k), 0,
				map[string]any{"counterfeit_score": float64(int(score*1000)) / 1000, "shop_age_days": age, "category": "fashion", "has_certificate": true})
		}
		// Keyword hits, follower deltas and chat flags for the shadow and draft rules.
		for k := range 4 {
			list := []string{"weapons", "drugs", "tobacco", "weapons"}[k]
			add(at(), "listing.keyword_hit", "listing", fmt.Sprintf("%s-lst-%d", lower, 60000+mi*10+k), m, "Listing", 0,
				map[string]any{"keyword_list": list, "match_confidence": 0.6 + rng.Float64()*0.4})
			add(at(), "follower.delta", "creator", fmt.Sprintf("%s-cr-%d", lower, 8000+mi*10+k), m, fmt.Sprintf("Creator %s %d", m, k), 20_000+rng.IntN(400_000),
				map[string]any{"gained_24h": rng.IntN(90_000)})
			add(at(), "chat.flagged", "seller", fmt.Sprintf("%s-shop-%d", lower, 3000+mi*10), m, "Shop", 5000,
				map[string]any{"mentions_bank": rng.IntN(2) == 0})
		}
	}
	slices.SortFunc(out, func(x, y demoSignal) int { return x.at.Compare(y.at) })
	return out
}
