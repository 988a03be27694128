package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/docket-tns/docket/models"
)

// demoSubject is a marketplace account or item the demo opens cases on.
type demoSubject struct {
	kind, id, market, name string
	followers, gmv         int64
}

var demoSubjects = []demoSubject{
	{"seller", "vn-shop-4471", "VN", "Giày Sneaker Chính Hãng 88", 23000, 410000},
	{"livestream", "vn-live-90817", "VN", "Săn sale 11.11 cùng Linh", 1_200_000, 0},
	{"creator", "vn-cr-2231", "VN", "Minh Thư Beauty", 2_400_000, 0},
	{"listing", "vn-lst-558120", "VN", "Máy lọc không khí HEPA 2026", 0, 8000},
	{"seller", "th-shop-1290", "TH", "Bangkok Brandname Outlet", 8400, 220000},
	{"livestream", "th-live-77120", "TH", "ไลฟ์สดลดราคา มือถือ", 310_000, 0},
	{"listing", "th-lst-33019", "TH", "ครีมขาวใน 3 วัน", 0, 1500},
	{"creator", "th-cr-8810", "TH", "Nong Ploy Review", 640_000, 0},
	{"seller", "id-shop-55002", "ID", "Toko Elektronik Murah Jaya", 51000, 95000},
	{"listing", "id-lst-100233", "ID", "Obat Pelangsing Herbal Ampuh", 0, 12000},
	{"livestream", "id-live-4410", "ID", "Live Flash Sale Gadget", 95_000, 0},
	{"seller", "my-shop-7730", "MY", "KL Luxury Bags Preloved", 3300, 130000},
	{"listing", "my-lst-44510", "MY", "Face Mask 3-ply (50 pcs)", 0, 4000},
	{"seller", "ph-shop-2218", "PH", "Manila Phone Hub", 17000, 60000},
	{"creator", "ph-cr-6621", "PH", "Kuya Migs Unboxing", 880_000, 0},
	{"seller", "sg-shop-9901", "SG", "SG Watch Collectors", 5200, 310000},
	{"listing", "sg-lst-31007", "SG", "Portable Power Bank 50000mAh", 0, 22000},
}

// demoStory is what happens to one case.
type demoStory struct {
	subject  int
	policy   string
	severity string
	summary  string
	status   models.CaseStatus
	comment  string
	evidence string
	decision *DecisionInput
}

var demoStories = []demoStory{
	{0, "counterfeit", "", "Brand owner report: 14 listings of 'authentic' Jordan 1s at 30% of retail.", models.StatusInReview,
		"Photos are lifted from the brand's lookbook; stitching close-ups requested from the seller.", "Brand owner's letter of authorisation check: no authorisation on file.", nil},
	{1, "livestream_harassment", "high", "Host insulted viewers who asked about refunds; 112 viewer reports in 20 minutes.", models.StatusEscalated,
		"Clip at 00:41:10 shows slurs aimed at a viewer. Creator has 1.2M followers, escalating for a lead.", "Viewer report burst: 112 reports, 20 min window.", nil},
	{2, "fake_engagement", "medium", "Follower count jumped 400k in 48 h; 62% of new followers have no purchases and default avatars.", models.StatusTriaged,
		"", "Follower growth export (JSON snapshot).", nil},
	{3, "dangerous_goods", "critical", "Air purifier sold with a forged SIRIM-style safety mark; 3 burn complaints.", models.StatusAwaitingApproval,
		"Complaint photos show melted power board. Proposing removal and account suspension.", "Customer complaint photos.", &DecisionInput{Outcome: "violation", Actions: []string{"remove_content", "suspend_account"},
			Rationale: "Uncertified electrical product with three burn complaints and a forged certification mark. Remove listing and suspend pending documentation."}},
	{4, "counterfeit", "high", "Luxury bags 'grade AAA mirror' in listing titles.", models.StatusResolved,
		"Title literally says mirror-grade copy.", "Listing title screenshot.", &DecisionInput{Outcome: "violation", Actions: []string{"remove_content", "warn"},
			Rationale: "Seller openly advertises replicas ('AAA mirror'). Listings removed, first warning issued."}},
	{5, "off_platform_transaction", "high", "Host asks viewers to transfer to a personal bank account for a 'VIP price'.", models.StatusNew,
		"", "", nil},
	{6, "misleading_claim", "medium", "Whitening cream claims 'white in 3 days, doctor approved'; no registration number.", models.StatusOnHold,
		"Waiting for the seller to provide the Thai FDA registration (requested 2 days ago).", "Product page text.", nil},
	{7, "ip_infringement", "low", "Creator uses a licensed cartoon character in paid promotions.", models.StatusResolved,
		"Licence from the rights holder was provided by the agency.", "Licence PDF reference.", &DecisionInput{Outcome: "no_violation", Actions: []string{},
			Rationale: "The agency supplied a valid licence covering Thailand until 2027."}},
	{8, "counterfeit", "medium", "Chargers sold as original brand at 5 USD; teardown shows no-name internals.", models.StatusInReview,
		"Teardown from a buyer attached.", "Buyer teardown photo.", nil},
	{9, "prohibited_item", "high", "Slimming capsules contain sibutramine per BPOM public warning.", models.StatusTriaged,
		"BPOM warning list matches the product name and packaging.", "BPOM public warning link.", nil},
	{10, "fake_engagement", "low", "Viewer count flat at exactly 10,000 for 3 hours.", models.StatusNew, "", "", nil},
	{11, "counterfeit", "high", "Preloved luxury bags with serial numbers reported stolen/duplicated.", models.StatusEscalated,
		"Two buyers report the same serial number on different bags.", "Serial number comparison.", nil},
	{12, "price_gouging", "medium", "Masks listed at 40x the usual price during the haze alert.", models.StatusResolved,
		"Price history confirms jump the day the haze alert was issued.", "Price history chart.", &DecisionInput{Outcome: "violation", Actions: []string{"restrict_listing"},
			Rationale: "Price raised from RM 6 to RM 240 during a public health alert; listing restricted."}},
	{13, "off_platform_transaction", "medium", "Chat messages push buyers to pay by GCash directly for a discount.", models.StatusInReview,
		"", "Chat transcript excerpt.", nil},
	{14, "minor_safety", "critical", "Unboxing video shows a child handling a laser pointer marketed as a toy.", models.StatusEscalated,
		"Escalating: minor safety, creator has a large young audience.", "Video timestamp 02:13.", nil},
	{15, "ip_infringement", "medium", "Watch photos watermarked by another retailer.", models.StatusTriaged,
		"", "Reverse image search results.", nil},
	{16, "dangerous_goods", "high", "Power bank capacity impossible for its size; airline-banned cell type.", models.StatusInReview,
		"Capacity claim is 3x what the casing can hold.", "Spec sheet comparison.", nil},
}

var demoTeam = []struct {
	Email, Name, Role string
	Markets           []string
}{
	{"lead.sea@demo.docket.test", "Rizal Hakim", "lead", []string{"ID", "MY", "PH", "SG"}},
	{"reviewer.sea@demo.docket.test", "Joy Dela Cruz", "reviewer", []string{"MY", "PH", "SG"}},
	{"reviewer.th@demo.docket.test", "Kanya Srisuk", "reviewer", []string{"TH"}},
	{"reviewer2@demo.docket.test", "Nguyen Van Minh", "reviewer", []string{"VN"}},
}

// loadDemoCases opens the demo's cases and walks each through its story,
// through the same use cases people use, on a clock that starts three days
// ago so SLAs, timelines and ages look lived-in. Skipped when cases exist.
func (a *App) loadDemoCases(ctx context.Context) (int, error) {
	var existing int64
	if err := a.read(ctx).Model(&models.Case{}).Count(&existing).Error; err != nil || existing > 0 {
		return 0, err
	}
	for _, u := range demoTeam {
		in := NewUser{Email: u.Email, Name: u.Name, Password: DemoPassword}
		for _, m := range u.Markets {
			in.Grants = append(in.Grants, models.Grant{Role: u.Role, Market: m})
		}
		if _, err := a.CreateUser(ctx, SystemActor("demo"), in); err != nil && models.KindOf(err) != models.KindConflict {
			return 0, err
		}
	}
	actor := func(email string) (Actor, error) {
		u, err := models.FindUserByEmail(ctx, a.read(ctx), email)
		return Actor{Kind: ActorUser, ID: u.ID, Label: u.Email}, err
	}
	people := map[string]Actor{}
	for _, e := range []string{"lead@demo.docket.test", "lead.sea@demo.docket.test", "reviewer@demo.docket.test",
		"reviewer.id@demo.docket.test", "reviewer.sea@demo.docket.test", "reviewer.th@demo.docket.test", "analyst@demo.docket.test"} {
		p, err := actor(e)
		if err != nil {
			return 0, fmt.Errorf("demo user %s: %w", e, err)
		}
		people[e] = p
	}
	leadOf := func(m string) (Actor, Actor) {
		switch m {
		case "VN":
			return people["lead@demo.docket.test"], people["reviewer@demo.docket.test"]
		case "TH":
			return people["lead@demo.docket.test"], people["reviewer.th@demo.docket.test"]
		case "ID":
			return people["lead.sea@demo.docket.test"], people["reviewer.id@demo.docket.test"]
		default:
			return people["lead.sea@demo.docket.test"], people["reviewer.sea@demo.docket.test"]
		}
	}
	// A second lead for approvals (maker-checker) in VN/TH.
	approver := people["lead.sea@demo.docket.test"]
	rng := rand.New(rand.NewPCG(7, 11))
	end := a.now()
	start := end.Add(-72 * time.Hour)
	step := 0
	demo := *a
	// Time moves a few minutes per step, never past the real present.
	demo.now = func() time.Time {
		step++
		t := start.Add(time.Duration(step)*7*time.Minute + time.Duration(rng.IntN(120))*time.Second)
		if t.After(end) {
			t = end
		}
		return t.UTC().Truncate(time.Microsecond)
	}
	n := 0
	for _, st := range demoStories {
		s := demoSubjects[st.subject]
		lead, rev := leadOf(s.market)
		c, err := demo.CreateCase(ctx, people["analyst@demo.docket.test"], NewCase{
			Subject: SubjectInput{Kind: s.kind, ExternalID: s.id, Market: s.market, DisplayName: s.name,
				Attributes: map[string]any{"followers": s.followers, "gmv_usd": s.gmv, "category": "marketplace"}},
			Policy: st.policy, Severity: st.severity, Summary: st.summary})
		if err != nil {
			return n, fmt.Errorf("demo case %s: %w", s.id, err)
		}
		n++
		v := c.Version
		act := func(who Actor, action models.CaseAction, in CaseActionInput) error {
			in.Version = v
			d, err := demo.ActOnCase(ctx, who, c.ID, action, in)
			if err != nil {
				return fmt.Errorf("demo case %d %s: %w", c.ID, action, err)
			}
			v = d.Version
			return nil
		}
		if st.status == models.StatusNew {
			continue
		}
		if err := act(lead, models.ActionTriage, CaseActionInput{}); err != nil {
			return n, err
		}
		if st.evidence != "" {
			if _, err := demo.AddEvidence(ctx, lead, c.ID, EvidenceInput{Kind: "text", Title: "Intake note", Text: st.evidence}); err != nil {
				return n, err
			}
		}
		if st.status == models.StatusTriaged {
			continue
		}
		if err := act(rev, models.ActionClaim, CaseActionInput{}); err != nil {
			return n, err
		}
		if st.comment != "" {
			if _, err := demo.AddComment(ctx, rev, c.ID, st.comment); err != nil {
				return n, err
			}
		}
		switch st.status {
		case models.StatusOnHold:
			err = act(rev, models.ActionHold, CaseActionInput{Reason: "Waiting for documents from the seller"})
		case models.StatusEscalated:
			err = act(rev, models.ActionEscalate, CaseActionInput{Reason: st.comment})
		case models.StatusAwaitingApproval:
			err = act(rev, models.ActionResolve, CaseActionInput{Decision: st.decision})
		case models.StatusResolved:
			err = act(rev, models.ActionResolve, CaseActionInput{Decision: st.decision})
			if err == nil && st.decision.Outcome == "violation" && len(st.decision.Actions) > 0 {
				p, _ := models.FindPolicy(ctx, a.read(ctx), st.policy)
				if p.IsHighImpact(st.decision.Actions) {
					err = act(approver, models.ActionApprove, CaseActionInput{})
				}
			}
		}
		if err != nil {
			return n, err
		}
	}
	// Beyond the per-market review and escalation queues the migrations
	// seed: what a regional team typically adds.
	for _, q := range []QueueInput{
		{Name: "Emergencies (all markets)", Description: "Every open emergency, whatever its market: leads watch this one.",
			Kind: "review", Markets: []string{"ID", "MY", "PH", "SG", "TH", "VN"}, EmergencyOnly: true},
		{Name: "Counterfeit & IP (VN, TH)", Description: "Brand-protection cases for the Mekong team.",
			Kind: "review", Markets: []string{"TH", "VN"}, Policies: []string{"counterfeit", "ip_infringement"}},
	} {
		if _, err := a.CreateQueue(ctx, SystemActor("demo"), q); err != nil {
			return n, err
		}
	}
	if _, err := a.loadDemoRules(ctx, people, leadOf); err != nil {
		return n, fmt.Errorf("demo rules: %w", err)
	}
	var opened int64
	err := a.read(ctx).Model(&models.Case{}).Count(&opened).Error
	return int(opened), err
}
