package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/models"
)

func (s *server) listQueues(c echo.Context) error {
	qs, err := s.app.ListQueues(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": qs, "next_cursor": nil})
}

func (s *server) createQueue(c echo.Context) error {
	var in app.QueueInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	q, err := s.app.CreateQueue(c.Request().Context(), actorOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, q)
}

func (s *server) updateQueue(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in app.QueueInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	q, err := s.app.UpdateQueue(c.Request().Context(), actorOf(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, q)
}

func (s *server) claimNext(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	c.Response().Header().Add("Vary", "Prefer")
	if preferMinimal(c.Request().Header) {
		claimed, err := s.app.ClaimNextMinimal(c.Request().Context(), actorOf(c), id)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Preference-Applied", "return=minimal")
		return c.JSON(http.StatusOK, claimed)
	}
	d, err := s.app.ClaimNextCase(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// preferMinimal reports whether the request asks for `Prefer:
// return=minimal` (RFC 7240): what changed, not the whole resource.
func preferMinimal(h http.Header) bool {
	for _, v := range h.Values("Prefer") {
		for _, p := range strings.Split(v, ",") {
			k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "return") && strings.EqualFold(strings.Trim(strings.TrimSpace(val), `"`), "minimal") {
				return true
			}
		}
	}
	return false
}

type availabilityRequest struct {
	Available *bool `json:"available"`
}

func (s *server) setAvailability(c echo.Context) error {
	var in availabilityRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Available == nil {
		return models.Invalid("available_required", "say whether you are available",
			models.FieldError{Field: "available", Code: "required", Message: "true or false"})
	}
	if err := s.app.SetAvailability(c.Request().Context(), actorOf(c), *in.Available); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]bool{"available": *in.Available})
}

func (s *server) listReviewers(c echo.Context) error {
	rs, err := s.app.ListReviewers(c.Request().Context(), actorOf(c), c.QueryParam("market"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": rs, "next_cursor": nil})
}
