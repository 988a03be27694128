package app

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// Ingestion limits.
const (
	MaxSignalBatch = 1000
	// MaxSignalBatchBytes caps the request body of a batch.
	MaxSignalBatchBytes = 2 << 20
	maxSignalAge        = 365 * 24 * time.Hour
	maxSignalSkew       = 5 * time.Minute
	maxAttributes       = 50
	maxAttributeString  = 2000
	maxAttributeList    = 100
)

var (
	sourcePattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,99}$`)
	signalTypePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._]{0,99}$`)
)

// SignalInput is one signal of a batch.
type SignalInput struct {
	Source     string         `json:"source"`
	SourceID   string         `json:"source_id"`
	Type       string         `json:"type"`
	OccurredAt string         `json:"occurred_at"`
	Subject    SubjectInput   `json:"subject"`
	Attributes map[string]any `json:"attributes"`
}

// Ingest outcomes of one item.
const (
	IngestAccepted  = "accepted"
	IngestDuplicate = "duplicate"
	IngestRejected  = "rejected"
)

// IngestItem is what became of one item of a batch.
type IngestItem struct {
	Index    int                 `json:"index"`
	Status   string              `json:"status"`
	SignalID *int64              `json:"signal_id,omitempty"`
	Errors   []models.FieldError `json:"errors,omitempty"`
}

// IngestResult sums up a batch, item by item in batch order.
type IngestResult struct {
	Accepted   int `json:"accepted"`
	Duplicates int `json:"duplicates"`
	Rejected   int `json:"rejected"`
	// What live and shadow rules made of the accepted signals.
	RuleHits    int          `json:"rule_hits"`
	ShadowHits  int          `json:"shadow_hits"`
	CasesOpened int          `json:"cases_opened"`
	CasesJoined int          `json:"cases_joined"`
	Items       []IngestItem `json:"items"`
}

// IngestSignals stores a batch of signals. Each item is validated on its
// own: invalid ones come back with their errors, valid ones are stored (in
// one transaction, with their subjects upserted). A signal whose (source,
// source_id) is already stored is a duplicate and changes nothing, even
// when the same batch arrives twice at once. Requires signal.write (API
// tokens with the signals:write scope) in each item's market. A batch with
// no storable item is refused as a whole (400 no_valid_signals, with the
// per-item errors).
func (a *App) IngestSignals(ctx context.Context, actor Actor, items []json.RawMessage) (IngestResult, error) {
	res := IngestResult{Items: make([]IngestItem, len(items))}
	switch {
	case len(items) == 0:
		return res, models.Invalid("empty_batch", "send at least one signal",
			models.FieldError{Field: "signals", Code: "empty", Message: "1 to 1,000 signals"})
	case len(items) > MaxSignalBatch:
		return res, models.Invalid("too_many_signals", fmt.Sprintf("a batch holds at most %d signals (got %d)", MaxSignalBatch, len(items)),
			models.FieldError{Field: "signals", Code: "too_many", Message: "1 to 1,000 signals"})
	}
	// A deadlock between concurrent batches (they lock subjects and cases
	// in data order) is retried from scratch: the loser rolled back whole.
	var err error
	for attempt := 1; ; attempt++ {
		res = IngestResult{Items: make([]IngestItem, len(items))}
		err = a.ingestOnce(ctx, actor, items, &res)
		if !models.IsDeadlock(err) || attempt == 5 {
			return res, err
		}
		a.log.WarnContext(ctx, "signal batch deadlocked; retrying", "attempt", attempt)
		time.Sleep(time.Duration(attempt*(5+rand.IntN(20))) * time.Millisecond)
	}
}

// freshSignal is a signal this batch stored, waiting for the rules.
type freshSignal struct {
	sig     models.Signal
	attrs   map[string]any
	subject models.Subject
}

// validSignal is an item that passed validation, on its way to storage.
type validSignal struct {
	i       int
	in      SignalInput
	subject models.Subject // the row to insert if new; then the stored row
	sig     models.Signal
}

// ingestOnce stores a batch set by set: every item is validated in Go
// first (authorization once per distinct market), then the batch costs
// one subject insert and one read-back, one signal insert (and one read
// of the duplicates' ids), and the velocity the listening rules read in
// one statement on PostgreSQL (one per distinct call on SQLite), whatever
// the number of items.
func (a *App) ingestOnce(ctx context.Context, actor Actor, items []json.RawMessage, res *IngestResult) error {
	return a.inTx(ctx, func(tx *gorm.DB) error {
		if _, err := a.requireSomewhere(ctx, tx, actor, "signal.write"); err != nil {
			return err
		}
		now := a.now()
		markets := map[string]bool{}
		active, err := a.activeRules(ctx, tx)
		if err != nil {
			return err
		}
		outcome := ingestOutcome{errors: map[int64]*ruleErrorCount{}}
		check := a.newSignalChecker(ctx, tx, actor, now)
		reject := func(i int, errs []models.FieldError) {
			res.Items[i].Status, res.Items[i].Errors = IngestRejected, errs
			res.Rejected++
		}
		var valid []*validSignal
		for i, raw := range items {
			res.Items[i].Index = i
			in, errs := check.signal(raw)
			if len(errs) > 0 {
				reject(i, errs)
				continue
			}
			row, errs := subjectRow(in.Subject, now)
			if len(errs) > 0 {
				reject(i, errs)
				continue
			}
			in.Subject.ExternalID = row.ExternalID
			valid = append(valid, &validSignal{i: i, in: in, subject: row})
		}
		// Write in one global order (subject, then source key), whatever
		// order the batch came in: concurrent batches then take subject
		// keys, then signal keys, in the same order and do not deadlock.
		slices.SortStableFunc(valid, func(x, y *validSignal) int {
			return cmp.Or(cmp.Compare(x.in.Subject.Kind, y.in.Subject.Kind), cmp.Compare(x.in.Subject.ExternalID, y.in.Subject.ExternalID),
				cmp.Compare(x.in.Source, y.in.Source), cmp.Compare(x.in.SourceID, y.in.SourceID))
		})
		if err := a.storeSubjects(ctx, tx, valid); err != nil {
			return err
		}
		// Items whose subject belongs to another market are refused; the
		// others are stored, the first of each source key in write order
		// (a later item with the same key is its duplicate).
		var sigs []*models.Signal
		var firsts []int // index in valid of each signal of sigs
		first := map[models.SignalKey]int{}
		for k, v := range valid {
			if err := subjectMarketMatches(v.subject, v.in.Subject.Market); err != nil {
				de, _ := models.AsError(err)
				reject(v.i, de.Fields)
				continue
			}
			attrs, err := json.Marshal(v.in.Attributes)
			if err != nil {
				return err
			}
			at, _ := time.Parse(time.RFC3339Nano, v.in.OccurredAt)
			v.sig = models.Signal{Source: v.in.Source, SourceID: v.in.SourceID, Type: v.in.Type, SubjectID: v.subject.ID, Market: v.subject.Market,
				OccurredAt: at.UTC().Truncate(time.Microsecond), ReceivedAt: now, Attributes: string(attrs), SentBy: actor.Subject()}
			key := models.SignalKey{Source: v.in.Source, SourceID: v.in.SourceID}
			if _, seen := first[key]; !seen {
				first[key] = k
				sigs = append(sigs, &v.sig)
				firsts = append(firsts, k)
			}
		}
		fresh, err := models.InsertSignals(ctx, tx, sigs)
		if err != nil {
			return err
		}
		var stored []freshSignal
		var priorKeys []models.SignalKey
		for n, k := range firsts {
			v := valid[k]
			if !fresh[n] {
				priorKeys = append(priorKeys, models.SignalKey{Source: v.in.Source, SourceID: v.in.SourceID})
				continue
			}
			res.Items[v.i].Status, res.Items[v.i].SignalID = IngestAccepted, &v.sig.ID
			res.Accepted++
			markets[v.sig.Market] = true
			stored = append(stored, freshSignal{sig: v.sig, attrs: numbersAsFloats(v.in.Attributes), subject: v.subject})
		}
		prior := map[models.SignalKey]int64{}
		if len(priorKeys) > 0 {
			if prior, err = models.FindSignalIDsBySource(ctx, tx, priorKeys); err != nil {
				return err
			}
		}
		for k, v := range valid {
			if res.Items[v.i].Status != "" {
				continue // accepted or refused above
			}
			key := models.SignalKey{Source: v.in.Source, SourceID: v.in.SourceID}
			id := valid[first[key]].sig.ID // stored by an earlier item of this batch
			if f := first[key]; f == k || res.Items[valid[f].i].Status != IngestAccepted {
				var ok bool
				if id, ok = prior[key]; !ok {
					return fmt.Errorf("signal %s/%s: neither stored nor found", key.Source, key.SourceID)
				}
			}
			res.Items[v.i].Status, res.Items[v.i].SignalID = IngestDuplicate, &id
			res.Duplicates++
		}
		if res.Accepted+res.Duplicates == 0 {
			e := models.Invalid("no_valid_signals", "no signal of the batch could be stored; see items")
			e.Extra = map[string]any{"items": res.Items}
			return e
		}
		if res.Accepted == 0 {
			return nil // a retried batch: nothing changed, nothing to audit
		}
		// The rules judge the stored signals subject by subject, each
		// subject's in time order: velocity windows then see exactly what
		// a backtest would, and concurrent batches lock cases in one order.
		slices.SortStableFunc(stored, func(x, y freshSignal) int {
			if c := cmp.Compare(x.sig.SubjectID, y.sig.SubjectID); c != 0 {
				return c
			}
			if c := x.sig.OccurredAt.Compare(y.sig.OccurredAt); c != 0 {
				return c
			}
			return cmp.Compare(x.sig.ID, y.sig.ID)
		})
		if err := a.evaluateSignals(ctx, tx, active, stored, &outcome); err != nil {
			return err
		}
		if err := a.flushRuleErrors(ctx, tx, &outcome); err != nil {
			return err
		}
		res.RuleHits, res.ShadowHits, res.CasesOpened, res.CasesJoined = outcome.Hits, outcome.ShadowHits, outcome.CasesOpened, outcome.CasesJoined
		ms := make([]string, 0, len(markets))
		for m := range markets {
			ms = append(ms, m)
		}
		slices.Sort(ms)
		return a.audit(ctx, tx, actor, auditRecord{Action: "signal.ingest", ObjectType: "signal_batch", Market: singleMarket(ms),
			After: map[string]any{"accepted": res.Accepted, "duplicates": res.Duplicates, "rejected": res.Rejected, "markets": ms,
				"rule_hits": res.RuleHits, "shadow_hits": res.ShadowHits, "cases_opened": res.CasesOpened, "cases_joined": res.CasesJoined}})
	})
}

// storeSubjects reads the batch's subjects (one statement), inserts the
// ones not stored yet (one more, in write order) and reads those back,
// setting each item's subject to the stored row.
func (a *App) storeSubjects(ctx context.Context, tx *gorm.DB, valid []*validSignal) error {
	var rows []models.Subject
	var keys []models.SubjectKey
	seen := map[models.SubjectKey]bool{}
	for _, v := range valid {
		key := models.SubjectKey{Kind: v.subject.Kind, ExternalID: v.subject.ExternalID}
		if !seen[key] {
			seen[key] = true
			rows = append(rows, v.subject) // the first item of a new subject names it
			keys = append(keys, key)
		}
	}
	// Most signals are about subjects already stored: read first, and
	// insert (then read back) only the missing ones. A subject another
	// batch inserts in between is skipped by the insert and found by the
	// read-back.
	stored, err := models.FindSubjectsByKeys(ctx, tx, keys)
	if err != nil {
		return err
	}
	var missing []models.Subject
	var missingKeys []models.SubjectKey
	for i, k := range keys {
		if _, ok := stored[k]; !ok {
			missing, missingKeys = append(missing, rows[i]), append(missingKeys, k)
		}
	}
	if len(missing) > 0 {
		if err := models.InsertSubjects(ctx, tx, missing); err != nil {
			return err
		}
		added, err := models.FindSubjectsByKeys(ctx, tx, missingKeys)
		if err != nil {
			return err
		}
		maps.Copy(stored, added)
	}
	for _, v := range valid {
		s, ok := stored[models.SubjectKey{Kind: v.subject.Kind, ExternalID: v.subject.ExternalID}]
		if !ok {
			return fmt.Errorf("subject %s %s: neither stored nor found", v.subject.Kind, v.subject.ExternalID)
		}
		v.subject = s
	}
	return nil
}

// signalChecker validates the items of one batch; the market list and
// the actor's permission are looked up once per batch and market.
type signalChecker struct {
	a       *App
	ctx     context.Context
	tx      *gorm.DB
	actor   Actor
	now     time.Time
	codes   []string
	codeErr error
	allowed map[string]bool
}

func (a *App) newSignalChecker(ctx context.Context, tx *gorm.DB, actor Actor, now time.Time) *signalChecker {
	codes, err := a.marketCodes(ctx, tx)
	return &signalChecker{a: a, ctx: ctx, tx: tx, actor: actor, now: now, codes: codes, codeErr: err, allowed: map[string]bool{}}
}

func (c *signalChecker) mayWrite(market string) bool {
	ok, known := c.allowed[market]
	if !known {
		ok = c.a.Can(c.ctx, c.tx, c.actor, "signal.write", market) == nil
		c.allowed[market] = ok
	}
	return ok
}

// signal decodes and validates one item; errors name the item's fields.
func (c *signalChecker) signal(raw json.RawMessage) (SignalInput, []models.FieldError) {
	now := c.now
	var in SignalInput
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		return in, []models.FieldError{{Field: "", Code: "invalid_item", Message: strings.TrimPrefix(err.Error(), "json: ")}}
	}
	var fs []models.FieldError
	bad := func(field, code, msg string) {
		fs = append(fs, models.FieldError{Field: field, Code: code, Message: msg})
	}
	if !sourcePattern.MatchString(in.Source) {
		bad("source", "invalid_source", "1 to 100 lower-case letters, digits, dots, dashes or underscores")
	}
	if in.SourceID = strings.TrimSpace(in.SourceID); in.SourceID == "" || len(in.SourceID) > 200 {
		bad("source_id", "invalid_source_id", "1 to 200 characters")
	}
	if !signalTypePattern.MatchString(in.Type) {
		bad("type", "invalid_type", "1 to 100 lower-case letters, digits, dots or underscores")
	}
	if at, err := time.Parse(time.RFC3339Nano, in.OccurredAt); err != nil {
		bad("occurred_at", "invalid_time", "an RFC 3339 time, e.g. 2026-11-24T10:00:00Z")
	} else if at.After(now.Add(maxSignalSkew)) {
		bad("occurred_at", "future_time", "at most 5 minutes in the future")
	} else if at.Before(now.Add(-maxSignalAge)) {
		bad("occurred_at", "too_old", "at most 365 days old")
	}
	if !slices.Contains(models.SubjectKinds, in.Subject.Kind) {
		bad("subject.kind", "unknown_kind", "one of "+strings.Join(models.SubjectKinds, ", "))
	}
	switch {
	case c.codeErr != nil || !slices.Contains(c.codes, in.Subject.Market):
		bad("subject.market", "unknown_market", "a market code")
	case !c.mayWrite(in.Subject.Market):
		bad("subject.market", "market_not_allowed", "this token may not send signals of "+in.Subject.Market)
	}
	for _, k := range []string{"followers", "gmv_usd"} {
		if v, ok := in.Subject.Attributes[k]; ok {
			if n, isNum := v.(json.Number); !isNum || !isNonNegativeInt(n) {
				bad("subject.attributes."+k, "invalid_attribute", "a whole number, 0 or more")
			}
		}
	}
	fs = append(fs, checkAttributes("subject.attributes", in.Subject.Attributes)...)
	fs = append(fs, checkAttributes("attributes", in.Attributes)...)
	if in.Attributes == nil {
		in.Attributes = map[string]any{}
	}
	// The subject stores followers and GMV as numbers.
	for k, v := range in.Subject.Attributes {
		if n, ok := v.(json.Number); ok {
			f, _ := n.Float64()
			in.Subject.Attributes[k] = f
		}
	}
	return in, fs
}

func isNonNegativeInt(n json.Number) bool {
	v, err := n.Int64()
	return err == nil && v >= 0
}

// checkAttributes: at most 50 keys of up to 64 characters; values are
// strings (up to 2,000 characters), numbers, booleans, null, or lists of
// up to 100 of those. Nested objects are refused: rules read flat fields.
func checkAttributes(field string, attrs map[string]any) []models.FieldError {
	var fs []models.FieldError
	if len(attrs) > maxAttributes {
		return []models.FieldError{{Field: field, Code: "too_many_attributes", Message: "at most 50 attributes"}}
	}
	scalar := func(v any) bool {
		switch x := v.(type) {
		case nil, bool, json.Number:
			return true
		case string:
			return len(x) <= maxAttributeString
		}
		return false
	}
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := attrs[k]
		ok := k != "" && len(k) <= 64
		if list, isList := v.([]any); isList {
			ok = ok && len(list) <= maxAttributeList
			for _, x := range list {
				ok = ok && scalar(x)
			}
		} else {
			ok = ok && scalar(v)
		}
		if !ok {
			fs = append(fs, models.FieldError{Field: field + "." + k, Code: "invalid_attribute",
				Message: "a string (up to 2,000 characters), number, boolean, null, or a list of up to 100 of those"})
		}
	}
	return fs
}

// numbersAsFloats gives rules the attributes as a backtest reads them back
// from storage: JSON numbers as float64, in lists too.
func numbersAsFloats(attrs map[string]any) map[string]any {
	out := make(map[string]any, len(attrs))
	conv := func(v any) any {
		if n, ok := v.(json.Number); ok {
			f, _ := n.Float64()
			return f
		}
		return v
	}
	for k, v := range attrs {
		if list, ok := v.([]any); ok {
			l := make([]any, len(list))
			for i, x := range list {
				l[i] = conv(x)
			}
			out[k] = l
			continue
		}
		out[k] = conv(v)
	}
	return out
}
