package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/docket-tns/docket/models"
)

// AuthSettings tune sessions, login throttling and password hashing.
type AuthSettings struct {
	SessionIdle     time.Duration // default 12 h
	SessionLifetime time.Duration // default 7 days
	// MaxFailures failed logins per account or client address are allowed
	// within FailureWindow before a back-off starts (defaults 5, 15 min).
	MaxFailures   int
	FailureWindow time.Duration
	// BaseLockout doubles with every failure past MaxFailures, up to
	// MaxLockout (defaults 30 s and 15 min).
	BaseLockout time.Duration
	MaxLockout  time.Duration
	Password    PasswordParams
}

func (s AuthSettings) withDefaults() AuthSettings {
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&s.SessionIdle, 12*time.Hour)
	def(&s.SessionLifetime, 7*24*time.Hour)
	def(&s.FailureWindow, 15*time.Minute)
	def(&s.BaseLockout, 30*time.Second)
	def(&s.MaxLockout, 15*time.Minute)
	if s.MaxFailures == 0 {
		s.MaxFailures = 5
	}
	if s.Password.MemoryKiB == 0 {
		s.Password = DefaultPasswordParams
	}
	return s
}

// LoginResult is a new session: the cookie value (secret, never stored)
// and who logged in.
type LoginResult struct {
	SessionToken string
	Actor        Actor
	ExpiresAt    time.Time
}

// Credentials are what a request presented.
type Credentials struct {
	SessionToken string // from the cookie
	BearerToken  string // from Authorization
	RequestID    string
	ClientIP     string
}

const (
	sessionTokenBytes = 32
	apiTokenPrefix    = "dkt_"
)

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err)) // the OS is broken; nothing sensible remains
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// dummyHash is verified against when the email is unknown, so both
// failures cost the same time.
var dummyHash = func() string {
	h, _ := HashPassword(randomToken(16), DefaultPasswordParams)
	return h
}()

var errInvalidCredentials = models.Errorf(models.KindUnauthenticated, "invalid_credentials", "the email or password is wrong")

// Login checks email and password and opens a new session (a new id every
// time, so a planted session id is useless). Failures are throttled per
// account and per client address: KindRateLimited too_many_attempts with
// retry_after_seconds. Unknown email and wrong password give the same
// answer in about the same time.
func (a *App) Login(ctx context.Context, email, password string, req Credentials, userAgent string) (LoginResult, error) {
	now := a.now()
	email = strings.TrimSpace(email)
	keys := []string{"email:" + strings.ToLower(email), "ip:" + req.ClientIP}
	if err := a.checkThrottle(ctx, keys, now); err != nil {
		return LoginResult{}, err
	}
	user, findErr := models.FindUserByEmail(ctx, a.read(ctx), email)
	if findErr != nil && models.KindOf(findErr) != models.KindNotFound {
		return LoginResult{}, findErr
	}
	hash := dummyHash
	if findErr == nil {
		hash = user.PasswordHash
	}
	ok := VerifyPassword(password, hash) && findErr == nil && user.Active
	if !ok {
		if err := a.recordFailure(ctx, keys, now); err != nil {
			return LoginResult{}, err
		}
		return LoginResult{}, errInvalidCredentials
	}

	token := randomToken(sessionTokenBytes)
	s := &models.Session{
		TokenHash: hashSecret(token), UserID: user.ID, CSRFToken: randomToken(24),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(a.auth.SessionLifetime),
		ClientIP: req.ClientIP, UserAgent: truncate(userAgent, 256),
	}
	actor := Actor{Kind: ActorUser, ID: user.ID, Label: user.Email, RequestID: req.RequestID, ClientIP: req.ClientIP}
	err := a.inTx(ctx, func(tx *gorm.DB) error {
		if err := models.CreateSession(ctx, tx, s); err != nil {
			return err
		}
		if err := models.TouchLastLogin(ctx, tx, user.ID, now); err != nil {
			return err
		}
		for _, k := range keys[:1] { // the address keeps its count: one success must not unlock a spraying client
			if err := models.ClearLoginThrottle(ctx, tx, k); err != nil {
				return err
			}
		}
		return a.audit(ctx, tx, actor, auditRecord{Action: "session.create", ObjectType: "session", ObjectID: fmt.Sprint(s.ID),
			After: map[string]any{"user_id": user.ID, "client_ip": s.ClientIP, "expires_at": s.ExpiresAt}})
	})
	if err != nil {
		return LoginResult{}, err
	}
	actor.SessionID, actor.CSRFToken = s.ID, s.CSRFToken
	return LoginResult{SessionToken: token, Actor: actor, ExpiresAt: s.ExpiresAt}, nil
}

func (a *App) checkThrottle(ctx context.Context, keys []string, now time.Time) error {
	for _, k := range keys {
		t, err := models.FindLoginThrottle(ctx, a.read(ctx), k)
		if err != nil {
			return err
		}
		if t.LockedUntil != nil && now.Before(*t.LockedUntil) {
			wait := int(math.Ceil(t.LockedUntil.Sub(now).Seconds()))
			e := models.Errorf(models.KindRateLimited, "too_many_attempts", "too many failed logins; try again in %d s", wait)
			e.Extra = map[string]any{"retry_after_seconds": wait}
			return e
		}
	}
	return nil
}

// recordFailure counts a failure against every key; past MaxFailures in the
// window each further failure locks the key for an exponentially longer time.
func (a *App) recordFailure(ctx context.Context, keys []string, now time.Time) error {
	return a.inTx(ctx, func(tx *gorm.DB) error {
		for _, k := range keys {
			t, err := models.LockLoginThrottle(ctx, tx, k, now)
			if err != nil {
				return err
			}
			if t.Failures == 0 || now.Sub(t.WindowStartedAt) > a.auth.FailureWindow {
				t.Failures, t.WindowStartedAt, t.LockedUntil = 0, now, nil
			}
			t.Failures++
			if over := t.Failures - a.auth.MaxFailures; over >= 0 {
				d := a.auth.BaseLockout << min(over, 20)
				if d > a.auth.MaxLockout || d <= 0 {
					d = a.auth.MaxLockout
				}
				until := now.Add(d)
				t.LockedUntil = &until
			}
			if err := models.SaveLoginThrottle(ctx, tx, t); err != nil {
				return err
			}
		}
		return nil
	})
}

// Logout revokes the actor's session.
func (a *App) Logout(ctx context.Context, actor Actor) error {
	if actor.Kind != ActorUser || actor.SessionID == 0 {
		return models.Errorf(models.KindForbidden, "not_a_session", "only a session can log out; revoke a token instead")
	}
	return a.inTx(ctx, func(tx *gorm.DB) error {
		if _, err := models.RevokeSession(ctx, tx, actor.SessionID, a.now()); err != nil {
			return err
		}
		return a.audit(ctx, tx, actor, auditRecord{Action: "session.revoke", ObjectType: "session",
			ObjectID: fmt.Sprint(actor.SessionID), After: map[string]any{"reason": "logout"}})
	})
}

var errUnauthenticated = models.Errorf(models.KindUnauthenticated, "unauthenticated", "sign in first (session expired or missing)")

// Authenticate turns presented credentials into an Actor: a live session
// of an active user, or a live API token. Anything else is
// KindUnauthenticated.
func (a *App) Authenticate(ctx context.Context, c Credentials) (Actor, error) {
	now := a.now()
	switch {
	case c.BearerToken != "":
		t, err := models.FindTokenByHash(ctx, a.read(ctx), hashSecret(c.BearerToken))
		if err != nil {
			if models.KindOf(err) == models.KindNotFound {
				return Actor{}, models.Errorf(models.KindUnauthenticated, "invalid_token", "the API token is unknown, revoked or expired")
			}
			return Actor{}, err
		}
		if !t.Live(now) {
			return Actor{}, models.Errorf(models.KindUnauthenticated, "invalid_token", "the API token is unknown, revoked or expired")
		}
		// Recorded at most once a minute (TouchTokenUse re-checks in SQL, for
		// other servers): a sender's every batch need not write the row.
		if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= time.Minute {
			if err := models.TouchTokenUse(ctx, a.read(ctx), t.ID, now); err != nil {
				a.log.WarnContext(ctx, "token last-used update failed", "err", err)
			}
		}
		return Actor{Kind: ActorToken, ID: t.ID, Label: t.Name, RequestID: c.RequestID, ClientIP: c.ClientIP}, nil
	case c.SessionToken != "":
		s, err := models.FindSessionByTokenHash(ctx, a.read(ctx), hashSecret(c.SessionToken))
		if err != nil {
			if models.KindOf(err) == models.KindNotFound {
				return Actor{}, errUnauthenticated
			}
			return Actor{}, err
		}
		if s.RevokedAt != nil || !s.UserActive || !now.Before(s.ExpiresAt) || now.Sub(s.LastSeenAt) >= a.auth.SessionIdle {
			return Actor{}, errUnauthenticated
		}
		// Sliding idle timeout; written at most once a minute.
		if now.Sub(s.LastSeenAt) > time.Minute {
			if err := models.TouchSession(ctx, a.read(ctx), s.ID, now); err != nil {
				a.log.WarnContext(ctx, "session touch failed", "err", err)
			}
		}
		return Actor{Kind: ActorUser, ID: s.UserID, Label: s.UserEmail, SessionID: s.ID, CSRFToken: s.CSRFToken,
			RequestID: c.RequestID, ClientIP: c.ClientIP, authzRevision: s.AuthzRevision}, nil
	default:
		return Actor{}, errUnauthenticated
	}
}

// CheckCSRF compares a presented anti-forgery token with the session's.
func CheckCSRF(actor Actor, presented string) error {
	if actor.Kind != ActorUser || actor.CSRFToken == "" ||
		subtle.ConstantTimeCompare([]byte(actor.CSRFToken), []byte(presented)) != 1 {
		return models.Errorf(models.KindForbidden, "csrf_failed", "missing or wrong X-CSRF-Token header")
	}
	return nil
}

// Me describes the caller for the UI.
type Me struct {
	ActorType   string              `json:"actor_type"`
	User        *UserView           `json:"user,omitempty"`
	Token       *TokenView          `json:"token,omitempty"`
	Grants      []models.Grant      `json:"grants"`
	Permissions map[string][]string `json:"permissions"`
	CSRFToken   string              `json:"csrf_token,omitempty"`
}

// WhoAmI returns the caller with grants and permissions.
func (a *App) WhoAmI(ctx context.Context, actor Actor) (Me, error) {
	me := Me{ActorType: string(actor.Kind), CSRFToken: actor.CSRFToken}
	switch actor.Kind {
	case ActorUser:
		u, err := models.FindUser(ctx, a.read(ctx), actor.ID)
		if err != nil {
			return me, err
		}
		grants, err := models.GrantsOf(ctx, a.read(ctx), actor.Subject())
		if err != nil {
			return me, err
		}
		v := userView(u, grants)
		me.User, me.Grants = &v, grants
	case ActorToken:
		t, err := models.FindToken(ctx, a.read(ctx), actor.ID)
		if err != nil {
			return me, err
		}
		v := tokenView(t, a.now())
		me.Token = &v
		me.Grants = []models.Grant{}
	default:
		return me, errors.New("whoami: system actor")
	}
	perms, err := a.Permissions(ctx, actor)
	if err != nil {
		return me, err
	}
	me.Permissions = perms
	return me, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
