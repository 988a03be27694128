package handlers

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
)

// openAPIYAML is the single description of the HTTP API; the SPA's typed
// client is generated from it.
//
//go:embed openapi.yaml
var openAPIYAML []byte

var openAPI = sync.OnceValues(func() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openAPIYAML)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml is invalid: %w", err)
	}
	return doc, nil
})

type servedDoc struct {
	body []byte
	etag string
}

var openAPIJSON = sync.OnceValues(func() (servedDoc, error) {
	doc, err := openAPI()
	if err != nil {
		return servedDoc{}, err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return servedDoc{}, err
	}
	sum := sha256.Sum256(b)
	return servedDoc{body: b, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}, nil
})

func (s *server) getOpenAPI(c echo.Context) error {
	d, err := openAPIJSON()
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("ETag", d.etag)
	h.Set("Cache-Control", "no-cache")
	if c.Request().Header.Get("If-None-Match") == d.etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.JSONBlob(http.StatusOK, d.body)
}
