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
	// Public: no credentials needed.
	v1.GET("/system/status", s.getSystemStatus)
	v1.POST("/auth/login", s.login)

	// Everything else needs a session (with CSRF on unsafe methods) or a
	// token. Route-level, not group middleware: an Echo group with
	// middleware catches unknown paths, which must stay 404s.
	api := authed{v1, s.authenticate}
	api.POST("/auth/logout", s.logout)
	api.GET("/me", s.getMe)
	api.GET("/markets", s.listMarkets)
	api.PUT("/markets/:code", s.updateMarket)

	api.GET("/roles", s.listRoles)
	api.GET("/users", s.listUsers)
	api.POST("/users", s.createUser)
	api.GET("/users/:id", s.getUser)
	api.POST("/users/:id/deactivate", s.setUserActive(false))
	api.POST("/users/:id/activate", s.setUserActive(true))
	api.POST("/users/:id/grants", s.grantRole)
	api.DELETE("/users/:id/grants/:role/:market", s.revokeRole)
	api.GET("/sessions", s.listSessions)
	api.DELETE("/sessions/:id", s.revokeSession)
	api.GET("/tokens", s.listTokens)
	api.POST("/tokens", s.createToken)
	api.DELETE("/tokens/:id", s.revokeToken)

	api.PUT("/me/availability", s.setAvailability)
	api.GET("/reviewers", s.listReviewers)
	api.GET("/queues", s.listQueues)
	api.POST("/queues", s.createQueue)
	api.PUT("/queues/:id", s.updateQueue)
	api.POST("/queues/:id/claim", s.claimNext)

	api.GET("/policies", s.listPolicies)
	api.GET("/cases", s.listCases)
	api.POST("/cases", s.createCase)
	api.POST("/cases/bulk", s.bulkCases)
	api.GET("/cases/:id", s.getCase)
	api.GET("/cases/:id/events", s.listCaseEvents)
	api.POST("/cases/:id/comments", s.addComment)
	api.POST("/cases/:id/evidence", s.addEvidence)
	api.GET("/cases/:id/evidence/:evidence_id/download", s.downloadEvidence)
	api.POST("/cases/:id/tags", s.addTag)
	api.DELETE("/cases/:id/tags/:tag", s.removeTag)
	api.POST("/cases/:id/links", s.linkCase)
	api.POST("/cases/:id/:action", s.actOnCase)
	api.GET("/subjects/:id", s.getSubject)
	api.POST("/signals", s.ingestSignals)
	api.POST("/rules/validate", s.validateRule)
	api.POST("/rules/test", s.testRule)
	api.GET("/rules", s.listRules)
	api.POST("/rules", s.createRule)
	api.GET("/rules/:id", s.getRule)
	api.PUT("/rules/:id", s.updateRule)
	api.GET("/rules/:id/versions", s.listRuleVersions)
	api.GET("/rules/:id/hits", s.listRuleHits)
	api.POST("/rules/:id/backtest", s.startBacktest)
	api.GET("/rules/:id/backtests", s.listBacktests)
	api.GET("/backtests/:id", s.getBacktest)
	api.POST("/backtests/:id/cancel", s.cancelBacktest)
	api.GET("/routes", s.listRoutes)
	api.PUT("/routes", s.setRoute)

	api.GET("/stream", s.stream)
	api.GET("/notifications", s.listNotifications)
	api.POST("/notifications/read", s.markNotificationsRead)

	api.GET("/webhooks", s.listWebhooks)
	api.POST("/webhooks", s.createWebhook)
	api.GET("/webhooks/:id", s.getWebhook)
	api.PUT("/webhooks/:id", s.updateWebhook)
	api.POST("/webhooks/:id/rotate-secret", s.rotateWebhookSecret)
	api.GET("/webhooks/:id/deliveries", s.listDeliveries)
	api.POST("/webhook-deliveries/:id/redeliver", s.redeliverWebhook)

	api.GET("/audit", s.listAudit)
	api.GET("/audit/verify", s.verifyAudit)
	api.GET("/audit/export.csv", s.exportAudit)

	// Anything else under /api is a JSON 404, never the SPA.
	e.Any("/api/*", s.apiNotFound)
	e.GET("/*", s.serveSPA)
	e.HEAD("/*", s.serveSPA)
}

// authed registers routes behind the authentication middleware.
type authed struct {
	g    *echo.Group
	auth echo.MiddlewareFunc
}

func (a authed) GET(path string, h echo.HandlerFunc)    { a.g.GET(path, h, a.auth) }
func (a authed) POST(path string, h echo.HandlerFunc)   { a.g.POST(path, h, a.auth) }
func (a authed) DELETE(path string, h echo.HandlerFunc) { a.g.DELETE(path, h, a.auth) }
func (a authed) PUT(path string, h echo.HandlerFunc)    { a.g.PUT(path, h, a.auth) }
