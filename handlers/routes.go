package handlers

import (
	"github.com/labstack/echo/v4"
)

// routes lists every route Docket serves. The OpenAPI document must describe
// exactly these (openapi_test.go checks both ways).
func (s *server) routes(e *echo.Echo) {
	e.GET("/healthz", s.getHealth)
	e.GET("/readyz", s.getReadiness)
	e.GET("/metrics", s.getMetrics)
	e.GET("/api/openapi.json", s.getOpenAPI)

	v1 := e.Group("/api/v1")
	v1.GET("/system/status", s.getSystemStatus)
	v1.GET("/markets", s.listMarkets)

	// Anything else under /api is a JSON 404, never the SPA.
	e.Any("/api/*", s.apiNotFound)
	e.GET("/*", s.serveSPA)
	e.HEAD("/*", s.serveSPA)
}
