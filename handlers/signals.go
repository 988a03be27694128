package handlers

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
)

const signalsPath = "/api/v1/signals"

func (s *server) ingestSignals(c echo.Context) error {
	var in struct {
		Signals []json.RawMessage `json:"signals"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	res, err := s.app.IngestSignals(c.Request().Context(), actorOf(c), in.Signals)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *server) validateRule(c echo.Context) error {
	var in struct {
		Expression string `json:"expression"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	res, err := s.app.ValidateRule(c.Request().Context(), actorOf(c), in.Expression)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
