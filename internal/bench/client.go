package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/docket-tns/docket/handlers"
)

// apiClient calls the HTTP API as one signed-in person (session cookie and
// CSRF token, as the SPA does) or one integration (bearer token).
type apiClient struct {
	base    string
	hc      *http.Client
	session string
	csrf    string
	bearer  string
}

// apiError is a non-2xx answer.
type apiError struct {
	Status int
	Code   string
	Detail string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("HTTP %d %s: %s", e.Status, e.Code, e.Detail)
}

// newTransport is shared by every client: connections are kept alive, as
// browsers and integrations do.
func newTransport() *http.Transport {
	return &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: 90 * time.Second}
}

// rawJSON is a request body that is JSON already.
type rawJSON []byte

// call sends body as JSON and decodes a 2xx answer into out (when not nil).
func (c *apiClient) call(ctx context.Context, method, path string, body, out any) error {
	return c.callWith(ctx, method, path, nil, body, out)
}

func (c *apiClient) callWith(ctx context.Context, method, path string, header http.Header, body, out any) error {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case rawJSON:
		rd = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	switch {
	case c.bearer != "":
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	case c.session != "":
		req.AddCookie(&http.Cookie{Name: handlers.SessionCookie, Value: c.session})
		if method != http.MethodGet {
			req.Header.Set("X-CSRF-Token", c.csrf)
		}
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		var p struct {
			Code   string `json:"code"`
			Detail string `json:"detail"`
		}
		b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
		_ = json.Unmarshal(b, &p)
		if p.Code == "" {
			p.Detail = string(b)
		}
		return &apiError{Status: res.StatusCode, Code: p.Code, Detail: p.Detail}
	}
	if out == nil {
		_, err = io.Copy(io.Discard, res.Body)
		return err
	}
	return json.NewDecoder(res.Body).Decode(out)
}

// login signs in with email and password and keeps the session.
func login(ctx context.Context, base string, hc *http.Client, email, password string) (*apiClient, error) {
	c := &apiClient{base: base, hc: hc}
	b, _ := json.Marshal(map[string]string{"email": email, "password": password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/auth/login", bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(res.Body)
		return nil, fmt.Errorf("login %s: HTTP %d %s", email, res.StatusCode, body)
	}
	var me struct {
		CSRFToken string `json:"csrf_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&me); err != nil {
		return nil, err
	}
	for _, ck := range res.Cookies() {
		if ck.Name == handlers.SessionCookie {
			c.session = ck.Value
		}
	}
	if c.session == "" || me.CSRFToken == "" {
		return nil, fmt.Errorf("login %s: no session cookie or CSRF token in the answer", email)
	}
	c.csrf = me.CSRFToken
	return c, nil
}

// caseRef is what the harness reads of a case answer.
type caseRef struct {
	ID      int64 `json:"id"`
	Version int   `json:"version"`
}

func (c *apiClient) claim(ctx context.Context, queueID int64) (caseRef, error) {
	var ref caseRef
	// As the SPA claims: the minimal answer, the page loaded separately.
	err := c.callWith(ctx, http.MethodPost, fmt.Sprintf("/api/v1/queues/%d/claim", queueID), preferMinimal, nil, &ref)
	return ref, err
}

var preferMinimal = http.Header{"Prefer": {"return=minimal"}}

var noViolation = map[string]any{"outcome": "no_violation", "actions": []string{},
	"rationale": "Checked the listing, the reports and the seller's history: nothing breaks the policy."}

func (c *apiClient) resolve(ctx context.Context, ref caseRef) error {
	return c.call(ctx, http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/resolve", ref.ID),
		map[string]any{"version": ref.Version, "decision": noViolation}, nil)
}
