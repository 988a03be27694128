package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/app"
	"github.com/docket-tns/docket/models"
)

// idParam reads a positive integer path parameter.
func idParam(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.Invalid("invalid_id", name+" must be a positive whole number",
			models.FieldError{Field: name, Code: "invalid_id", Message: "a positive whole number"})
	}
	return id, nil
}

func boolQuery(c echo.Context, name string) (*bool, error) {
	v := c.QueryParam(name)
	if v == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return nil, models.Invalid("invalid_query", name+" must be true or false",
			models.FieldError{Field: name, Code: "invalid_bool", Message: "true or false"})
	}
	return &b, nil
}

func (s *server) listRoles(c echo.Context) error {
	roles, err := s.app.ListRoles(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": roles})
}

func (s *server) listUsers(c echo.Context) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	active, err := boolQuery(c, "active")
	if err != nil {
		return err
	}
	res, err := s.app.ListUsers(c.Request().Context(), actorOf(c), app.UserQuery{Query: c.QueryParam("q"), Active: active}, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(res))
}

func (s *server) createUser(c echo.Context) error {
	var req app.NewUser
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := s.app.CreateUser(c.Request().Context(), actorOf(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u)
}

func (s *server) getUser(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	u, err := s.app.GetUser(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *server) setUserActive(active bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		u, err := s.app.SetUserActive(c.Request().Context(), actorOf(c), id, active)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, u)
	}
}

func (s *server) grantRole(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var g models.Grant
	if err := decodeJSON(c, &g); err != nil {
		return err
	}
	u, err := s.app.GrantRole(c.Request().Context(), actorOf(c), id, g)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *server) revokeRole(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	u, err := s.app.RevokeRole(c.Request().Context(), actorOf(c), id, models.Grant{Role: c.Param("role"), Market: c.Param("market")})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

func (s *server) listSessions(c echo.Context) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	var userID int64
	if c.QueryParam("user_id") != "" {
		if userID, err = strconv.ParseInt(c.QueryParam("user_id"), 10, 64); err != nil || userID <= 0 {
			return models.Invalid("invalid_query", "user_id must be a positive whole number",
				models.FieldError{Field: "user_id", Code: "invalid_id", Message: "a positive whole number"})
		}
	}
	res, err := s.app.ListSessions(c.Request().Context(), actorOf(c), userID, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(res))
}

func (s *server) revokeSession(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.app.RevokeSession(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *server) listTokens(c echo.Context) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	res, err := s.app.ListTokens(c.Request().Context(), actorOf(c), page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(res))
}

func (s *server) createToken(c echo.Context) error {
	var req app.NewToken
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t, err := s.app.CreateToken(c.Request().Context(), actorOf(c), req)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, t)
}

func (s *server) revokeToken(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.app.RevokeToken(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
