package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/models"
)

func (s *server) getHealth(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

type readinessResponse struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

func (s *server) getReadiness(c echo.Context) error {
	r := s.app.Ready(c.Request().Context())
	res := readinessResponse{Status: "ready", Checks: r.Checks}
	code := http.StatusOK
	if !r.Ready {
		res.Status, code = "not_ready", http.StatusServiceUnavailable
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(code, res)
}

func (s *server) getMetrics(c echo.Context) error {
	return echoprometheus.NewHandlerWithConfig(echoprometheus.HandlerConfig{Gatherer: s.opts.Metrics})(c)
}

func (s *server) getSystemStatus(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, s.app.Status(c.Request().Context()))
}

func (s *server) listMarkets(c echo.Context) error {
	req, err := pageParams(c)
	if err != nil {
		return err
	}
	page, err := s.app.ListMarkets(c.Request().Context(), actorOf(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(page))
}

func (s *server) updateMarket(c echo.Context) error {
	var in app.MarketSettings
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	m, err := s.app.UpdateMarket(c.Request().Context(), actorOf(c), c.Param("code"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

// apiNotFound answers any /api path no route takes: 405 with Allow when the
// path exists for other methods, else a JSON 404.
func (s *server) apiNotFound(c echo.Context) error {
	if allow := s.allowedMethods(c); len(allow) > 0 {
		c.Response().Header().Set("Allow", strings.Join(allow, ", "))
		return models.Errorf(models.KindMethodNotAllowed, "method_not_allowed", "%s is not allowed on %s; use %s",
			c.Request().Method, c.Request().URL.Path, strings.Join(allow, ", "))
	}
	return models.Errorf(models.KindNotFound, "not_found", "no API endpoint %s %s", c.Request().Method, c.Request().URL.Path)
}

var routableMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

func (s *server) allowedMethods(c echo.Context) []string {
	var allow []string
	for _, m := range routableMethods {
		probe := s.echo.NewContext(c.Request(), nil)
		s.echo.Router().Find(m, c.Request().URL.Path, probe)
		if p := probe.Path(); p != "" && p != "/api/*" && p != "/*" {
			allow = append(allow, m)
		}
	}
	return allow
}
