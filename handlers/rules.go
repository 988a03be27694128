package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/app"
)

func (s *server) listRules(c echo.Context) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	f := app.RuleFilter{Status: c.QueryParam("status"), Market: c.QueryParam("market"), Text: c.QueryParam("q")}
	p, err := s.app.ListRules(c.Request().Context(), actorOf(c), f, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(p))
}

func (s *server) createRule(c echo.Context) error {
	var in app.RuleInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	r, err := s.app.CreateRule(c.Request().Context(), actorOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

func (s *server) getRule(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := s.app.GetRule(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *server) updateRule(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		app.RuleInput
		Version int `json:"version"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	r, err := s.app.UpdateRule(c.Request().Context(), actorOf(c), id, in.Version, in.RuleInput)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *server) listRuleVersions(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	vs, err := s.app.ListRuleVersions(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listResponse[app.RuleVersionView]{Items: vs})
}

func (s *server) listRuleHits(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	p, err := s.app.ListRuleHits(c.Request().Context(), actorOf(c), id, c.QueryParam("mode"), page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(p))
}

func (s *server) testRule(c echo.Context) error {
	var in app.RuleTestInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	r, err := s.app.TestRule(c.Request().Context(), actorOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *server) startBacktest(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in app.BacktestRequest
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	b, err := s.app.StartBacktest(c.Request().Context(), actorOf(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, b)
}

func (s *server) listBacktests(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	bs, err := s.app.ListBacktests(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listResponse[app.BacktestView]{Items: bs})
}

func (s *server) getBacktest(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	b, err := s.app.GetBacktest(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, b)
}

func (s *server) cancelBacktest(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	b, err := s.app.CancelBacktest(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, b)
}

func (s *server) listRoutes(c echo.Context) error {
	rs, err := s.app.ListRoutes(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listResponse[app.RouteView]{Items: rs})
}

func (s *server) setRoute(c echo.Context) error {
	var in struct {
		Market  string  `json:"market"`
		Policy  *string `json:"policy"`
		QueueID *int64  `json:"queue_id"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	r, err := s.app.SetRoute(c.Request().Context(), actorOf(c), in.Market, in.Policy, in.QueueID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}
