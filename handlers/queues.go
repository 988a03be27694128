package handlers

import (
	"net/http"

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
	d, err := s.app.ClaimNextCase(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
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
