package handlers

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/models"
)

func (s *server) listPolicies(c echo.Context) error {
	ps, err := s.app.ListPolicies(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": ps})
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func timeQuery(c echo.Context, name string) (*time.Time, error) {
	v := c.QueryParam(name)
	if v == "" {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, models.Invalid("invalid_time", name+" must be an RFC 3339 time",
			models.FieldError{Field: name, Code: "invalid_time", Message: "RFC 3339 time"})
	}
	return &t, nil
}

func caseQuery(c echo.Context) (app.CaseQuery, error) {
	q := app.CaseQuery{Market: c.QueryParam("market"), Statuses: splitList(c.QueryParam("status")), Policy: c.QueryParam("policy"),
		Severities: splitList(c.QueryParam("severity")), Assignee: c.QueryParam("assignee"), Queue: c.QueryParam("queue"),
		Tag: c.QueryParam("tag"), Text: c.QueryParam("q"), Sort: c.QueryParam("sort")}
	var err error
	if v := c.QueryParam("subject_id"); v != "" {
		if q.SubjectID, err = strconv.ParseInt(v, 10, 64); err != nil || q.SubjectID <= 0 {
			return q, models.Invalid("invalid_filter", "subject_id must be a positive whole number",
				models.FieldError{Field: "subject_id", Code: "invalid_filter", Message: "a positive whole number"})
		}
	}
	if q.Emergency, err = boolQuery(c, "emergency"); err != nil {
		return q, err
	}
	if q.SLABreached, err = boolQuery(c, "sla_breached"); err != nil {
		return q, err
	}
	for name, dst := range map[string]**time.Time{"created_after": &q.CreatedAfter, "created_before": &q.CreatedBefore,
		"updated_after": &q.UpdatedAfter, "updated_before": &q.UpdatedBefore} {
		if *dst, err = timeQuery(c, name); err != nil {
			return q, err
		}
	}
	return q, nil
}

func (s *server) listCases(c echo.Context) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	q, err := caseQuery(c)
	if err != nil {
		return err
	}
	res, err := s.app.SearchCases(c.Request().Context(), actorOf(c), q, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(res))
}

func (s *server) createCase(c echo.Context) error {
	var in app.NewCase
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	d, err := s.app.CreateCase(c.Request().Context(), actorOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, d)
}

func (s *server) getCase(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	d, err := s.app.GetCase(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

func (s *server) listCaseEvents(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	res, err := s.app.ListCaseEvents(c.Request().Context(), actorOf(c), id, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(res))
}

func (s *server) actOnCase(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in app.CaseActionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Version <= 0 {
		return models.Invalid("version_required", "send the case version you last saw",
			models.FieldError{Field: "version", Code: "required", Message: "the case's version"})
	}
	d, err := s.app.ActOnCase(c.Request().Context(), actorOf(c), id, models.CaseAction(c.Param("action")), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

type commentRequest struct {
	Body string `json:"body"`
}

func (s *server) addComment(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in commentRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cm, err := s.app.AddComment(c.Request().Context(), actorOf(c), id, in.Body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cm)
}

// addEvidence takes JSON (text, url, json) or a multipart file upload.
func (s *server) addEvidence(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in app.EvidenceInput
	if strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), "multipart/form-data") {
		in, err = s.readUpload(c)
		if err != nil {
			return err
		}
	} else if err := decodeJSON(c, &in); err != nil {
		return err
	} else if in.Kind == "file" {
		return models.Invalid("invalid_evidence", "upload files as multipart/form-data",
			models.FieldError{Field: "kind", Code: "invalid_evidence", Message: "text, url or json in a JSON body"})
	}
	e, err := s.app.AddEvidence(c.Request().Context(), actorOf(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, e)
}

func (s *server) readUpload(c echo.Context) (app.EvidenceInput, error) {
	in := app.EvidenceInput{Kind: "file", Title: c.FormValue("title")}
	fh, err := c.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return in, models.Errorf(models.KindTooLarge, "file_too_large", "files are at most %d MB", app.MaxEvidenceFile>>20)
		}
		return in, models.Invalid("invalid_evidence", "send the file in a multipart field named file",
			models.FieldError{Field: "file", Code: "required", Message: "a file"})
	}
	if fh.Size > app.MaxEvidenceFile {
		return in, models.Errorf(models.KindTooLarge, "file_too_large", "files are at most %d MB", app.MaxEvidenceFile>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return in, err
	}
	defer f.Close()
	in.Data, err = io.ReadAll(io.LimitReader(f, app.MaxEvidenceFile+1))
	in.FileName = fh.Filename
	return in, err
}

func (s *server) downloadEvidence(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	eid, err := idParam(c, "evidence_id")
	if err != nil {
		return err
	}
	e, err := s.app.EvidenceFile(c.Request().Context(), actorOf(c), id, eid)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", e.FileName))
	h.Set("Cache-Control", "private, no-store")
	// Never render an upload in our origin: a download, sandboxed.
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return c.Blob(http.StatusOK, e.ContentType, e.Data)
}

type tagRequest struct {
	Tag string `json:"tag"`
}

func (s *server) addTag(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in tagRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	tags, err := s.app.SetTag(c.Request().Context(), actorOf(c), id, in.Tag, true)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"tags": tags})
}

func (s *server) removeTag(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	tags, err := s.app.SetTag(c.Request().Context(), actorOf(c), id, c.Param("tag"), false)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"tags": tags})
}

type linkRequest struct {
	OtherCaseID int64  `json:"other_case_id"`
	Kind        string `json:"kind"`
}

func (s *server) linkCase(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in linkRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	l, err := s.app.LinkCases(c.Request().Context(), actorOf(c), id, in.OtherCaseID, in.Kind)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, l)
}

func (s *server) bulkCases(c echo.Context) error {
	var in app.BulkInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	out, err := s.app.Bulk(c.Request().Context(), actorOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *server) getSubject(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	d, err := s.app.GetSubject(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}
