package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/app"
)

func (s *server) listWebhooks(c echo.Context) error {
	ws, err := s.app.ListWebhooks(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listResponse[app.WebhookView]{Items: ws})
}

func (s *server) createWebhook(c echo.Context) error {
	var in app.WebhookInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	w, err := s.app.CreateWebhook(c.Request().Context(), actorOf(c), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, w)
}

func (s *server) getWebhook(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	w, err := s.app.GetWebhook(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

func (s *server) updateWebhook(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in app.WebhookInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	w, err := s.app.UpdateWebhook(c.Request().Context(), actorOf(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, w)
}

func (s *server) rotateWebhookSecret(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Version int `json:"version"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	w, err := s.app.RotateWebhookSecret(c.Request().Context(), actorOf(c), id, in.Version)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, w)
}

func (s *server) listDeliveries(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	res, err := s.app.ListDeliveries(c.Request().Context(), actorOf(c), id, c.QueryParam("status"), page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, listOf(res))
}

func (s *server) redeliverWebhook(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	d, err := s.app.RedeliverWebhook(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, d)
}

type notificationsResponse struct {
	listResponse[app.NotificationView]
	Unread int64 `json:"unread"`
}

func (s *server) listNotifications(c echo.Context) error {
	page, err := pageParams(c)
	if err != nil {
		return err
	}
	unreadOnly, err := boolQuery(c, "unread")
	if err != nil {
		return err
	}
	res, err := s.app.ListNotifications(c.Request().Context(), actorOf(c), unreadOnly != nil && *unreadOnly, page)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, notificationsResponse{listResponse: listOf(res.Page), Unread: res.Unread})
}

func (s *server) markNotificationsRead(c echo.Context) error {
	var in struct {
		IDs []int64 `json:"ids"`
		All bool    `json:"all"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ids := in.IDs
	if in.All {
		ids = nil
	} else if ids == nil {
		ids = []int64{} // neither: refused as invalid
	}
	n, err := s.app.MarkNotificationsRead(c.Request().Context(), actorOf(c), ids)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int64{"unread": n})
}
