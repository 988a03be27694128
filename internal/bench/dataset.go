package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/docket-tns/docket/models"
)

// The synthetic marketplace: subjects across six markets, about two open
// cases per subject under different policies, and a history of signals.
// Every row is a pure function of its number, so the PostgreSQL and
// SQLite loaders, and the ingest scenario, agree without sharing state.

type weighted[T any] struct {
	v T
	w int
}

func pick[T any](r *rand.Rand, ws []weighted[T]) T {
	total := 0
	for _, x := range ws {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range ws {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return ws[len(ws)-1].v
}

var (
	marketWeights = []weighted[string]{{"ID", 28}, {"VN", 22}, {"TH", 18}, {"PH", 14}, {"MY", 10}, {"SG", 8}}
	kindWeights   = []weighted[string]{{"seller", 35}, {"listing", 30}, {"creator", 15}, {"livestream", 12}, {"content", 8}}
	policyWeights = []weighted[string]{{"counterfeit", 22}, {"misleading_claim", 14}, {"prohibited_item", 12}, {"fake_engagement", 12},
		{"ip_infringement", 10}, {"off_platform_transaction", 8}, {"price_gouging", 8}, {"livestream_harassment", 7},
		{"dangerous_goods", 5}, {"minor_safety", 2}}
	severityWeights = []weighted[string]{{"critical", 5}, {"high", 25}, {"medium", 45}, {"low", 25}}
	statusWeights   = []weighted[models.CaseStatus]{{models.StatusTriaged, 82}, {models.StatusNew, 5}, {models.StatusInReview, 5},
		{models.StatusOnHold, 4}, {models.StatusEscalated, 4}}
	signalTypeWeights = []weighted[string]{{"report.filed", 40}, {"refund.requested", 15}, {"counterfeit.score", 15},
		{"keyword.hit", 15}, {"price.change", 10}, {"chargeback", 5}}
	nameWords = []string{"Toko", "Shop", "Store", "Outlet", "Official", "Live", "Beauty", "Gadget", "Fashion", "Sneaker",
		"Bags", "Phone", "Watch", "Herbal", "Kids", "Home", "Sale", "Murah", "Jaya", "Review", "Deals", "Sport"}
	reportReasons = []string{"scam", "fake", "abuse", "prohibited", "spam", "misleading"}
	keywords      = []string{"replica", "1:1", "mirror", "original", "cod", "grade aaa", "cheap", "transfer"}
)

// Seeds of the generators (fixed, so every run builds the same data).
const (
	seedSubject uint64 = 0x5b1ec7
	seedPolicy  uint64 = 0x9011c7
	seedCase    uint64 = 0xca5e
	seedSignal  uint64 = 0x5197a1
)

// dataset describes what to generate.
type dataset struct {
	cases, subjects, signals int
	now                      time.Time
	sla                      map[string]map[string]time.Duration // policy -> severity -> SLA
	defaultSeverity          map[string]string
	staff                    map[string][]int64 // market -> users holding seeded in-review cases
}

func newDataset(cases, signals int, now time.Time, policies []models.Policy, staff map[string][]int64) *dataset {
	d := &dataset{cases: cases, subjects: (cases + 1) / 2, signals: signals, now: now.UTC().Truncate(time.Microsecond),
		sla: map[string]map[string]time.Duration{}, defaultSeverity: map[string]string{}, staff: staff}
	for _, p := range policies {
		d.sla[p.Code] = map[string]time.Duration{}
		for _, s := range models.Severities {
			d.sla[p.Code][s] = p.SLA(s)
		}
		d.defaultSeverity[p.Code] = p.DefaultSeverity
	}
	return d
}

type subjectRow struct {
	id                        int64
	kind, externalID, market  string
	displayName, attributes   string
	followers, gmv            int64
	createdAt                 time.Time
	kindShort                 string
	strikeCount               int
	firstPolicy, secondPolicy string
}

// subject n (1-based).
func (d *dataset) subject(n int64) subjectRow {
	r := rand.New(rand.NewPCG(seedSubject, uint64(n)))
	s := subjectRow{id: n, market: pick(r, marketWeights), kind: pick(r, kindWeights)}
	s.kindShort = map[string]string{"seller": "shop", "listing": "lst", "creator": "cr", "livestream": "live", "content": "ct"}[s.kind]
	s.externalID = fmt.Sprintf("%s-%s-%d", strings.ToLower(s.market), s.kindShort, n)
	s.displayName = fmt.Sprintf("%s %s %d", nameWords[r.IntN(len(nameWords))], nameWords[r.IntN(len(nameWords))], n)
	switch s.kind {
	case "creator", "livestream":
		s.followers = int64(math.Pow(10, 2+4.5*r.Float64()))
	case "seller":
		s.followers = int64(math.Pow(10, 1+3*r.Float64()))
		s.gmv = int64(math.Pow(10, 2+4*r.Float64()))
	case "listing":
		s.gmv = int64(math.Pow(10, 1+3*r.Float64()))
	}
	s.attributes = fmt.Sprintf(`{"followers":%d,"gmv_usd":%d,"rating":%.1f}`, s.followers, s.gmv, 3+2*r.Float64())
	s.createdAt = d.now.Add(-time.Duration(r.IntN(700*24)) * time.Hour)
	s.strikeCount = r.IntN(3) / 2
	// The subject's open cases are under two different policies.
	pr := rand.New(rand.NewPCG(seedPolicy, uint64(n)))
	s.firstPolicy = pick(pr, policyWeights)
	for s.secondPolicy = pick(pr, policyWeights); s.secondPolicy == s.firstPolicy; s.secondPolicy = pick(pr, policyWeights) {
	}
	return s
}

type caseRow struct {
	id, subjectID                 int64
	market, policy, severity      string
	priority                      float64
	status                        models.CaseStatus
	holdFrom                      *string
	assignee                      *int64
	claimExpiresAt                *time.Time
	dueAt, atRiskAt               time.Time
	escalationReason              *string
	emergency                     bool
	summary                       string
	createdAt, updatedAt          time.Time
	heldAt, breachEscalated, next *time.Time
}

// caseAt is case n (1-based): cases 2k-1 and 2k belong to subject k.
func (d *dataset) caseAt(n int64) caseRow {
	s := d.subject((n + 1) / 2)
	r := rand.New(rand.NewPCG(seedCase, uint64(n)))
	c := caseRow{id: n, subjectID: s.id, market: s.market, policy: s.firstPolicy, status: pick(r, statusWeights)}
	if n%2 == 0 {
		c.policy = s.secondPolicy
	}
	c.severity = d.defaultSeverity[c.policy]
	if r.IntN(10) >= 6 {
		c.severity = pick(r, severityWeights)
	}
	sla := d.sla[c.policy][c.severity]
	// How much of the SLA is used: open cases are spread over the first
	// three quarters of it (some at risk), so none breaches mid-run.
	used := 0.75 * r.Float64()
	if c.status == models.StatusEscalated && r.IntN(10) < 3 {
		used = 1 + 0.5*r.Float64() // breached and already escalated by the sweeper
	}
	c.createdAt = d.now.Add(-time.Duration(used * float64(sla))).Truncate(time.Microsecond)
	c.dueAt = c.createdAt.Add(sla)
	c.atRiskAt = c.createdAt.Add(sla * 8 / 10)
	c.updatedAt = c.createdAt
	c.emergency = r.IntN(5000) == 0
	c.summary = fmt.Sprintf("%s on %s %s", strings.ReplaceAll(c.policy, "_", " "), s.kind, s.externalID)
	switch c.status {
	case models.StatusInReview:
		if staff := d.staff[c.market]; len(staff) > 0 {
			who := staff[r.IntN(len(staff))]
			c.assignee = &who
			exp := d.now.Add(12 * time.Hour) // nobody's lease runs out during a run
			c.claimExpiresAt = &exp
		} else {
			c.status = models.StatusTriaged
		}
	case models.StatusOnHold:
		from := string(models.StatusTriaged)
		c.holdFrom = &from
		held := d.now.Add(-time.Duration(r.IntN(48*60)) * time.Minute)
		c.heldAt = &held
	case models.StatusEscalated:
		reason := "needs a lead: repeat offender"
		if used >= 1 {
			reason = "sla_breach"
			at := c.dueAt
			c.breachEscalated = &at
		}
		c.escalationReason = &reason
	}
	c.priority = models.Priority(c.severity, s.followers, s.gmv, c.dueAt, d.now, sla, c.emergency)
	if c.status != models.StatusOnHold {
		c.next = models.NextPriorityRefresh(c.dueAt, d.now, sla)
	}
	return c
}

type signalRow struct {
	id                   int64
	source, sourceID     string
	typ                  string
	subjectID            int64
	market               string
	occurredAt           time.Time
	attributes           string
	subjectKind, subjExt string
}

// signalAt is stored signal n (1-based), from the last seven days.
func (d *dataset) signalAt(n int64) signalRow {
	r := rand.New(rand.NewPCG(seedSignal, uint64(n)))
	s := d.subject(1 + r.Int64N(int64(d.subjects)))
	typ := pick(r, signalTypeWeights)
	return signalRow{id: n, source: "bench-seed", sourceID: fmt.Sprint(n), typ: typ, subjectID: s.id, market: s.market,
		occurredAt: d.now.Add(-time.Duration(r.Int64N(int64(7 * 24 * time.Hour)))).Truncate(time.Microsecond),
		attributes: signalAttributes(r, typ), subjectKind: s.kind, subjExt: s.externalID}
}

// signalAttributes are the attributes a signal of type typ carries.
func signalAttributes(r *rand.Rand, typ string) string {
	switch typ {
	case "report.filed":
		return fmt.Sprintf(`{"reason":%q,"reporter_id":"u%d","reporter_trust":%.2f}`, reportReasons[r.IntN(len(reportReasons))], r.IntN(50000), r.Float64())
	case "refund.requested":
		return fmt.Sprintf(`{"amount_usd":%.2f,"order_id":"o%d"}`, 5+r.Float64()*300, r.IntN(1_000_000))
	case "counterfeit.score":
		return fmt.Sprintf(`{"score":%.3f,"model":"cf-v3"}`, math.Pow(r.Float64(), 3))
	case "keyword.hit":
		return fmt.Sprintf(`{"keyword":%q,"field":"title"}`, keywords[r.IntN(len(keywords))])
	case "price.change":
		return fmt.Sprintf(`{"ratio":%.2f,"category":"essentials"}`, 0.5+r.Float64()*4)
	default:
		return fmt.Sprintf(`{"amount_usd":%.2f}`, 10+r.Float64()*500)
	}
}
