package handlers

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/docket-tns/docket/models"
)

// spa serves the built single-page app from memory. Hashed files under
// assets/ are immutable for a year; index.html is never cached, so a deploy
// is picked up on the next navigation.
type spa struct {
	files map[string]spaFile
}

type spaFile struct {
	body  []byte
	etag  string
	ctype string
}

func newSPA(fsys fs.FS) (*spa, error) {
	s := &spa{files: map[string]spaFile{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = http.DetectContentType(b)
		}
		s.files[p] = spaFile{body: b, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, ctype: ct}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ui files: %w", err)
	}
	if _, ok := s.files["index.html"]; !ok {
		return nil, fmt.Errorf("ui files: index.html is missing")
	}
	return s, nil
}

// serveSPA answers GET and HEAD outside /api: a file that exists is served;
// an extensionless path is a client-side route and gets index.html; any
// other path is a 404.
func (s *server) serveSPA(c echo.Context) error {
	p := strings.TrimPrefix(path.Clean("/"+c.Request().URL.Path), "/")
	if p == "api" || strings.HasPrefix(p, "api/") {
		// The router's backtracking can land unknown /api paths here.
		return s.apiNotFound(c)
	}
	if s.spa == nil {
		return models.Errorf(models.KindNotFound, "not_found", "this server was built without the web interface")
	}
	name := p
	f, ok := s.spa.files[name]
	if !ok || p == "" {
		if p != "" && path.Ext(p) != "" {
			return models.Errorf(models.KindNotFound, "not_found", "no file %s", "/"+p)
		}
		name, f = "index.html", s.spa.files["index.html"]
	}
	h := c.Response().Header()
	switch {
	case name == "index.html":
		h.Set("Cache-Control", "no-store")
	case strings.HasPrefix(name, "assets/"):
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	default:
		h.Set("Cache-Control", "public, max-age=3600")
	}
	h.Set("ETag", f.etag)
	h.Set(echo.HeaderContentType, f.ctype)
	http.ServeContent(c.Response(), c.Request(), name, time.Time{}, bytes.NewReader(f.body))
	return nil
}
