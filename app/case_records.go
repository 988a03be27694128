package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// SubjectInput names a subject, creating it if it is new.
type SubjectInput struct {
	Kind        string         `json:"kind"`
	ExternalID  string         `json:"external_id"`
	Market      string         `json:"market"`
	DisplayName string         `json:"display_name"`
	Attributes  map[string]any `json:"attributes"`
}

// NewCase is a manually opened case.
type NewCase struct {
	Subject  SubjectInput `json:"subject"`
	Policy   string       `json:"policy"`
	Severity string       `json:"severity"`
	Summary  string       `json:"summary"`
	Tags     []string     `json:"tags"`
}

// numberAttr reads a non-negative whole number from attributes, whether it
// came from JSON (float64, json.Number) or from Go (ints).
func numberAttr(attrs map[string]any, key string) int64 {
	var n int64
	switch v := attrs[key].(type) {
	case float64:
		n = int64(v)
	case int:
		n = int64(v)
	case int64:
		n = v
	case json.Number:
		n, _ = v.Int64()
	}
	return max(n, 0)
}

// upsertSubject matches a subject by kind and external id or creates it.
func (a *App) upsertSubject(ctx context.Context, tx *gorm.DB, in SubjectInput) (models.Subject, error) {
	s, fields := subjectRow(in, a.now())
	if _, err := models.FindMarket(ctx, tx, in.Market); err != nil {
		fields = append(fields, models.FieldError{Field: "subject.market", Code: "unknown_market", Message: "a market code"})
	}
	if len(fields) > 0 {
		return models.Subject{}, models.Invalid("invalid_subject", "the subject is not valid", fields...)
	}
	if err := models.UpsertSubject(ctx, tx, &s); err != nil {
		return s, err
	}
	return s, subjectMarketMatches(s, in.Market)
}

// subjectRow is the row a subject input creates, or its field errors
// (kind and external id; the market is the caller's to check).
func subjectRow(in SubjectInput, now time.Time) (models.Subject, []models.FieldError) {
	var fields []models.FieldError
	if !slices.Contains(models.SubjectKinds, in.Kind) {
		fields = append(fields, models.FieldError{Field: "subject.kind", Code: "unknown_kind", Message: "one of " + strings.Join(models.SubjectKinds, ", ")})
	}
	if in.ExternalID = strings.TrimSpace(in.ExternalID); in.ExternalID == "" || len(in.ExternalID) > 200 {
		fields = append(fields, models.FieldError{Field: "subject.external_id", Code: "required", Message: "1 to 200 characters"})
	}
	if in.Attributes == nil {
		in.Attributes = map[string]any{}
	}
	attrs, err := json.Marshal(in.Attributes)
	if err != nil {
		fields = append(fields, models.FieldError{Field: "subject.attributes", Code: "invalid_attribute", Message: err.Error()})
	}
	name := strings.TrimSpace(in.DisplayName)
	if name == "" {
		name = in.ExternalID
	}
	return models.Subject{Kind: in.Kind, ExternalID: in.ExternalID, Market: in.Market, DisplayName: name, Attributes: string(attrs),
		Followers: numberAttr(in.Attributes, "followers"), GMVUSD: numberAttr(in.Attributes, "gmv_usd"), CreatedAt: now, UpdatedAt: now}, fields
}

// subjectMarketMatches refuses a subject already known in another market.
func subjectMarketMatches(s models.Subject, market string) error {
	if s.Market != market {
		return models.Invalid("subject_market_mismatch", fmt.Sprintf("%s %s belongs to market %s", s.Kind, s.ExternalID, s.Market),
			models.FieldError{Field: "subject.market", Code: "mismatch", Message: "the subject's market is " + s.Market})
	}
	return nil
}

// CreateCase opens a case by hand. Requires case.create in the subject's
// market. A second open case for the subject and policy is 409 case_exists
// carrying existing_case_id.
func (a *App) CreateCase(ctx context.Context, actor Actor, in NewCase) (CaseDetail, error) {
	var out CaseDetail
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		c, err := a.openCase(ctx, tx, actor, in, models.StatusNew)
		if err != nil {
			return err
		}
		out, err = a.newCaseReader(ctx, tx).detail(c, actor)
		return err
	})
	return out, err
}

func (a *App) openCase(ctx context.Context, tx *gorm.DB, actor Actor, in NewCase, status models.CaseStatus) (models.Case, error) {
	if actor.Kind != ActorSystem {
		if err := a.Can(ctx, tx, actor, "case.create", in.Subject.Market); err != nil {
			if _, merr := models.FindMarket(ctx, tx, in.Subject.Market); merr != nil {
				return models.Case{}, models.Invalid("invalid_subject", "the subject is not valid",
					models.FieldError{Field: "subject.market", Code: "unknown_market", Message: "a market code"})
			}
			return models.Case{}, err
		}
	}
	p, err := models.FindPolicy(ctx, tx, in.Policy)
	if err != nil {
		return models.Case{}, models.Invalid("unknown_policy", fmt.Sprintf("unknown policy %q", in.Policy),
			models.FieldError{Field: "policy", Code: "unknown_policy", Message: "a policy code"})
	}
	sev := in.Severity
	if sev == "" {
		sev = p.DefaultSeverity
	}
	if models.SeverityRank(sev) == 0 {
		return models.Case{}, models.Invalid("unknown_severity", fmt.Sprintf("unknown severity %q", sev),
			models.FieldError{Field: "severity", Code: "unknown_severity", Message: "critical, high, medium or low"})
	}
	if len(in.Summary) > 2000 {
		return models.Case{}, models.Invalid("invalid_summary", "the summary is at most 2000 characters",
			models.FieldError{Field: "summary", Code: "too_long", Message: "at most 2000 characters"})
	}
	tags := make([]string, 0, len(in.Tags))
	for _, t := range in.Tags {
		tag, err := validTag(t)
		if err != nil {
			return models.Case{}, err
		}
		tags = append(tags, tag)
	}
	s, err := a.upsertSubject(ctx, tx, in.Subject)
	if err != nil {
		return models.Case{}, err
	}
	if existing, err := models.FindOpenCase(ctx, tx, s.ID, p.Code); err == nil {
		e := models.Errorf(models.KindConflict, "case_exists", "case %d is already open for this subject and policy", existing.ID)
		e.Extra = map[string]any{"existing_case_id": existing.ID}
		return models.Case{}, e
	}
	now := a.now()
	c := models.Case{SubjectID: s.ID, Market: s.Market, PolicyCode: p.Code, Severity: sev, Status: status,
		Summary: strings.TrimSpace(in.Summary), CreatedBy: actor.Subject(), CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := a.setSLA(ctx, tx, &c, p, now); err != nil {
		return models.Case{}, err
	}
	c.Priority = models.Priority(sev, s.Followers, s.GMVUSD, c.SLADueAt, now, p.SLA(sev), false)
	c.PriorityRefreshAt = models.NextPriorityRefresh(c.SLADueAt, now, p.SLA(sev))
	if err := models.CreateCase(ctx, tx, &c); err != nil {
		if de, ok := models.AsError(err); ok && de.Code == "case_exists" {
			if existing, ferr := models.FindOpenCase(ctx, tx, s.ID, p.Code); ferr == nil {
				de.Extra = map[string]any{"existing_case_id": existing.ID}
			}
		}
		return c, err
	}
	for _, t := range slices.Compact(slices.Sorted(slices.Values(tags))) {
		if err := tx.WithContext(ctx).Create(&models.CaseTag{CaseID: c.ID, Tag: t}).Error; err != nil {
			return c, err
		}
	}
	return c, a.recordCaseChange(ctx, tx, actor, c, "created", map[string]any{"policy": p.Code, "severity": sev, "subject_id": s.ID},
		nil, caseAuditState(c))
}

// caseNote runs a non-lifecycle change (comment, evidence, tag, link):
// visible case, permission in its market, no version bump.
func (a *App) caseNote(ctx context.Context, actor Actor, id int64, perm string, fn func(tx *gorm.DB, c models.Case) error) error {
	return a.inTx(ctx, func(tx *gorm.DB) error {
		c, err := a.loadCaseFor(ctx, tx, actor, id, true)
		if err != nil {
			return err
		}
		if err := a.Can(ctx, tx, actor, perm, c.Market); err != nil {
			return err
		}
		return fn(tx, c)
	})
}

// AddComment adds a comment (case.comment).
func (a *App) AddComment(ctx context.Context, actor Actor, id int64, body string) (CommentView, error) {
	body = strings.TrimSpace(body)
	if body == "" || len(body) > 10000 {
		return CommentView{}, models.Invalid("invalid_comment", "a comment is 1 to 10000 characters",
			models.FieldError{Field: "body", Code: "required", Message: "1 to 10000 characters"})
	}
	var out CommentView
	err := a.caseNote(ctx, actor, id, "case.comment", func(tx *gorm.DB, c models.Case) error {
		cm := &models.Comment{CaseID: c.ID, Author: actor.Subject(), AuthorLabel: actor.Label, Body: body, CreatedAt: a.now()}
		if err := tx.WithContext(ctx).Create(cm).Error; err != nil {
			return err
		}
		out = CommentView{ID: cm.ID, Author: cm.AuthorLabel, Body: cm.Body, CreatedAt: cm.CreatedAt}
		return a.recordCaseChange(ctx, tx, actor, c, "commented", map[string]any{"comment_id": cm.ID, "excerpt": excerpt(body, 140)}, nil, out)
	})
	return out, err
}

func excerpt(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// MaxEvidenceFile is the largest attachment accepted.
const MaxEvidenceFile = 10 << 20

// allowedFileTypes are the sniffed types an attachment may have.
var allowedFileTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain; charset=utf-8",
	"text/csv", "application/json", "video/mp4", "video/webm", "application/zip"}

// EvidenceInput is text, a URL, a JSON snapshot or a file.
type EvidenceInput struct {
	Kind     string          `json:"kind"`
	Title    string          `json:"title"`
	Text     string          `json:"text"`
	URL      string          `json:"url"`
	JSON     json.RawMessage `json:"json"`
	FileName string          `json:"-"`
	Data     []byte          `json:"-"`
}

// AddEvidence attaches evidence (case.evidence). Files are at most 10 MB,
// of a sniffed type on the allowed list; they are served back as downloads.
func (a *App) AddEvidence(ctx context.Context, actor Actor, id int64, in EvidenceInput) (EvidenceView, error) {
	in.Title = strings.TrimSpace(in.Title)
	e := models.Evidence{Kind: in.Kind, Title: in.Title, AddedBy: actor.Subject(), AddedByLabel: actor.Label}
	field := func(f, code, msg string) error {
		return models.Invalid(code, msg, models.FieldError{Field: f, Code: code, Message: msg})
	}
	switch in.Kind {
	case "text":
		if strings.TrimSpace(in.Text) == "" || len(in.Text) > 100000 {
			return EvidenceView{}, field("text", "invalid_evidence", "text evidence is 1 to 100000 characters")
		}
		e.Body = in.Text
	case "url":
		u, err := url.Parse(strings.TrimSpace(in.URL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return EvidenceView{}, field("url", "invalid_evidence", "an absolute http(s) URL")
		}
		e.Body = u.String()
	case "json":
		var v any
		if len(in.JSON) == 0 || json.Unmarshal(in.JSON, &v) != nil || len(in.JSON) > 1<<20 {
			return EvidenceView{}, field("json", "invalid_evidence", "a JSON value of at most 1 MB")
		}
		pretty, _ := json.MarshalIndent(v, "", "  ")
		e.Body = string(pretty)
	case "file":
		if len(in.Data) == 0 {
			return EvidenceView{}, field("file", "invalid_evidence", "the file is empty")
		}
		if len(in.Data) > MaxEvidenceFile {
			return EvidenceView{}, models.Errorf(models.KindTooLarge, "file_too_large", "files are at most %d MB", MaxEvidenceFile>>20)
		}
		ct := http.DetectContentType(in.Data)
		if ct == "text/plain; charset=utf-8" && json.Valid(in.Data) {
			ct = "application/json"
		}
		if !slices.Contains(allowedFileTypes, ct) {
			return EvidenceView{}, models.Errorf(models.KindUnsupported, "file_type_not_allowed", "files of type %s are not accepted", ct)
		}
		sum := sha256.Sum256(in.Data)
		e.FileName = sanitizeFileName(in.FileName)
		e.ContentType, e.SizeBytes, e.SHA256, e.Data = ct, int64(len(in.Data)), hex.EncodeToString(sum[:]), in.Data
		if e.Title == "" {
			e.Title = e.FileName
		}
	default:
		return EvidenceView{}, field("kind", "invalid_evidence", "kind is text, url, json or file")
	}
	if e.Title == "" || len(e.Title) > 200 {
		return EvidenceView{}, field("title", "invalid_evidence", "a title of 1 to 200 characters")
	}
	var out EvidenceView
	err := a.caseNote(ctx, actor, id, "case.evidence", func(tx *gorm.DB, c models.Case) error {
		e.CaseID, e.CreatedAt = c.ID, a.now()
		if err := tx.WithContext(ctx).Create(&e).Error; err != nil {
			return err
		}
		out = evidenceView(e)
		return a.recordCaseChange(ctx, tx, actor, c, "evidence_added", map[string]any{"evidence_id": e.ID, "kind": e.Kind, "title": e.Title}, nil, out)
	})
	return out, err
}

func sanitizeFileName(n string) string {
	n = strings.Map(func(r rune) rune {
		if r < 32 || strings.ContainsRune(`/\"<>:|?*`, r) {
			return '_'
		}
		return r
	}, n)
	if n == "" {
		n = "attachment"
	}
	if len(n) > 120 {
		n = n[:120]
	}
	return n
}

// EvidenceFile returns an attachment's bytes for download (case.read).
func (a *App) EvidenceFile(ctx context.Context, actor Actor, caseID, evidenceID int64) (models.Evidence, error) {
	var out models.Evidence
	err := a.inReadTx(ctx, func(tx *gorm.DB) error {
		if _, err := a.loadCaseFor(ctx, tx, actor, caseID, false); err != nil {
			return err
		}
		e, err := models.FindEvidence(ctx, tx, caseID, evidenceID)
		if err != nil {
			return err
		}
		if e.Kind != "file" {
			return models.Errorf(models.KindNotFound, "evidence_not_found", "evidence %d is not a file", evidenceID)
		}
		out = e
		return nil
	})
	return out, err
}

// SetTag adds or removes a tag (case.comment: tagging is note-taking).
func (a *App) SetTag(ctx context.Context, actor Actor, id int64, tag string, add bool) ([]string, error) {
	tag, err := validTag(tag)
	if err != nil {
		return nil, err
	}
	var out []string
	err = a.caseNote(ctx, actor, id, "case.comment", func(tx *gorm.DB, c models.Case) error {
		if err := a.setTagTx(ctx, tx, actor, c, tag, add); err != nil {
			return err
		}
		out, err = models.CaseTags(ctx, tx, c.ID)
		return err
	})
	if out == nil {
		out = []string{}
	}
	return out, err
}

// LinkCases relates two cases both visible to the actor (case.comment).
func (a *App) LinkCases(ctx context.Context, actor Actor, id, other int64, kind string) (LinkView, error) {
	if !slices.Contains([]string{"related", "duplicate_of", "appeal_of"}, kind) {
		return LinkView{}, models.Invalid("invalid_link", "kind is related, duplicate_of or appeal_of",
			models.FieldError{Field: "kind", Code: "invalid_link", Message: "related, duplicate_of or appeal_of"})
	}
	if id == other {
		return LinkView{}, models.Invalid("invalid_link", "a case cannot link to itself",
			models.FieldError{Field: "other_case_id", Code: "self_link", Message: "another case"})
	}
	var out LinkView
	err := a.caseNote(ctx, actor, id, "case.comment", func(tx *gorm.DB, c models.Case) error {
		if _, err := a.loadCaseFor(ctx, tx, actor, other, false); err != nil {
			return err
		}
		l := &models.CaseLink{CaseID: id, OtherCaseID: other, Kind: kind, CreatedBy: actor.Subject(), CreatedAt: a.now()}
		if err := tx.WithContext(ctx).Create(l).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return models.Errorf(models.KindConflict, "link_exists", "the cases are already linked that way")
			}
			return err
		}
		out = LinkView{CaseID: l.CaseID, OtherCaseID: l.OtherCaseID, Kind: l.Kind, CreatedAt: l.CreatedAt}
		return a.recordCaseChange(ctx, tx, actor, c, "linked", map[string]any{"other_case_id": other, "kind": kind}, nil, out)
	})
	return out, err
}

func (a *App) setTagTx(ctx context.Context, tx *gorm.DB, actor Actor, c models.Case, tag string, add bool) error {
	tag, err := validTag(tag)
	if err != nil {
		return err
	}
	if err := a.Can(ctx, tx, actor, "case.comment", c.Market); err != nil {
		return err
	}
	before, err := models.CaseTags(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	has := slices.Contains(before, tag)
	switch {
	case add && has, !add && !has:
		return nil
	case add:
		err = tx.WithContext(ctx).Create(&models.CaseTag{CaseID: c.ID, Tag: tag}).Error
	default:
		err = tx.WithContext(ctx).Where("case_id = ? AND tag = ?", c.ID, tag).Delete(&models.CaseTag{}).Error
	}
	if err != nil {
		return err
	}
	after, err := models.CaseTags(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	event := "tag_removed"
	if add {
		event = "tag_added"
	}
	return a.recordCaseChange(ctx, tx, actor, c, event, map[string]any{"tag": tag}, before, after)
}
