package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/models"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "docket_session"

const ctxActorValue = "actor_value"

func credentials(c echo.Context) app.Credentials {
	cr := app.Credentials{RequestID: requestID(c), ClientIP: c.RealIP()}
	if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
		if scheme, tok, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
			cr.BearerToken = strings.TrimSpace(tok)
		} else {
			cr.BearerToken = "\x00malformed" // present but unusable: never fall back to the cookie
		}
	} else if ck, err := c.Cookie(SessionCookie); err == nil {
		cr.SessionToken = ck.Value
	}
	return cr
}

// authenticate admits a live session or API token, and demands the CSRF
// token on unsafe requests that rely on the cookie.
func (s *server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		actor, err := s.app.Authenticate(c.Request().Context(), credentials(c))
		if err != nil {
			return err
		}
		c.Set(ctxActor, actor.Subject())
		if actor.Kind == app.ActorUser && !safeMethod(c.Request().Method) {
			if err := app.CheckCSRF(actor, c.Request().Header.Get("X-CSRF-Token")); err != nil {
				return err
			}
		}
		c.Set(ctxActorValue, actor)
		return next(c)
	}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// actorOf is the authenticated caller; authenticate guarantees it.
func actorOf(c echo.Context) app.Actor {
	a, _ := c.Get(ctxActorValue).(app.Actor)
	return a
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *server) login(c echo.Context) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var fields []models.FieldError
	if strings.TrimSpace(req.Email) == "" {
		fields = append(fields, models.FieldError{Field: "email", Code: "required", Message: "enter your email"})
	}
	if req.Password == "" {
		fields = append(fields, models.FieldError{Field: "password", Code: "required", Message: "enter your password"})
	}
	if len(fields) > 0 {
		return models.Invalid("invalid_login", "email and password are required", fields...)
	}
	ctx := c.Request().Context()
	res, err := s.app.Login(ctx, req.Email, req.Password, credentials(c), c.Request().UserAgent())
	if err != nil {
		return err
	}
	c.Set(ctxActor, res.Actor.Subject())
	me, err := s.app.WhoAmI(ctx, res.Actor)
	if err != nil {
		return err
	}
	c.SetCookie(s.sessionCookie(res.SessionToken, res.ExpiresAt))
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, me)
}

func (s *server) sessionCookie(value string, expires time.Time) *http.Cookie {
	ck := &http.Cookie{Name: SessionCookie, Value: value, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.opts.SecureCookies}
	if value == "" {
		ck.MaxAge = -1
		ck.Expires = time.Unix(0, 0)
	} else {
		ck.Expires = expires
	}
	return ck
}

func (s *server) logout(c echo.Context) error {
	if err := s.app.Logout(c.Request().Context(), actorOf(c)); err != nil {
		return err
	}
	c.SetCookie(s.sessionCookie("", time.Time{}))
	return c.NoContent(http.StatusNoContent)
}

func (s *server) getMe(c echo.Context) error {
	me, err := s.app.WhoAmI(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, me)
}
