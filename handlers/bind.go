package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/models"
)

// decodeJSON reads a JSON request body into dst strictly: the content type
// must be JSON, unknown fields and trailing data are refused, and every
// failure is a 4xx domain error with a stable code.
func decodeJSON(c echo.Context, dst any) error {
	r := c.Request()
	ct := r.Header.Get(echo.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return models.Errorf(models.KindUnsupported, "unsupported_media_type",
			"send the body as application/json (got %q)", ct)
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return models.Invalid("invalid_json", "the body holds more than one JSON value")
	}
	return nil
}

func jsonError(err error) error {
	var (
		syn  *json.SyntaxError
		typ  *json.UnmarshalTypeError
		mbe  *http.MaxBytesError
		herr *echo.HTTPError
	)
	switch {
	case errors.As(err, &mbe), errors.As(err, &herr):
		return err
	case errors.Is(err, io.EOF):
		return models.Invalid("empty_body", "the request body is empty; a JSON object is required")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return models.Invalid("invalid_json", "the JSON body ends too early")
	case errors.As(err, &syn):
		return models.Invalid("invalid_json", fmt.Sprintf("malformed JSON at byte %d: %v", syn.Offset, syn))
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		return models.Invalid("invalid_json", fmt.Sprintf("%s must be %s, not %s", field, typ.Type, typ.Value),
			models.FieldError{Field: field, Code: "wrong_type", Message: fmt.Sprintf("must be %s", typ.Type)})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return models.Invalid("unknown_field", fmt.Sprintf("unknown field %q", name),
			models.FieldError{Field: name, Code: "unknown_field", Message: "not a field of this request"})
	default:
		return models.Invalid("invalid_json", "the body is not valid JSON: "+err.Error())
	}
}

// pageParams reads cursor and limit (1..200, default 50).
func pageParams(c echo.Context) (app.PageRequest, error) {
	req := app.PageRequest{Cursor: c.QueryParam("cursor"), Limit: models.DefaultPageLimit}
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > models.MaxPageLimit {
			return req, models.Invalid("invalid_limit", fmt.Sprintf("limit must be a whole number from 1 to %d", models.MaxPageLimit),
				models.FieldError{Field: "limit", Code: "out_of_range", Message: fmt.Sprintf("1 to %d", models.MaxPageLimit)})
		}
		req.Limit = n
	}
	return req, nil
}

// listResponse is the shape of every list.
type listResponse[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func listOf[T any](p app.Page[T]) listResponse[T] {
	out := listResponse[T]{Items: p.Items}
	if p.NextCursor != "" {
		out.NextCursor = &p.NextCursor
	}
	return out
}
