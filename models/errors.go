// Package models holds Docket's entities, enums, query functions that take a
// *gorm.DB (which may be a transaction), and the domain error type.
package models

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrorKind classifies a domain error. Handlers map each kind to one HTTP
// status; nothing else about an error decides the status.
type ErrorKind string

// Error kinds, deliberately few.
const (
	KindInvalid          ErrorKind = "invalid"            // the request is malformed or fails validation (400)
	KindUnauthenticated  ErrorKind = "unauthenticated"    // no valid credentials (401)
	KindForbidden        ErrorKind = "forbidden"          // authenticated but not allowed (403)
	KindNotFound         ErrorKind = "not_found"          // absent, or invisible to the actor (404)
	KindMethodNotAllowed ErrorKind = "method_not_allowed" // the path exists, not for this method (405)
	KindConflict         ErrorKind = "conflict"           // state or version conflict (409)
	KindTooLarge         ErrorKind = "too_large"          // the body or a file is over a limit (413)
	KindUnsupported      ErrorKind = "unsupported"        // unsupported media type (415)
	KindRateLimited      ErrorKind = "rate_limited"       // throttled (429)
	KindUnavailable      ErrorKind = "unavailable"        // a dependency is down (503)
	KindInternal         ErrorKind = "internal"           // a bug or an unexpected failure (500)
)

// FieldError names one invalid input field.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is the one error type users see. Code is a stable snake_case string
// the SPA and API clients may switch on; Message is for people.
type Error struct {
	Kind    ErrorKind
	Code    string
	Message string
	Fields  []FieldError
	// Extra carries machine-readable details (e.g. the current version on a
	// version conflict); it is copied into the problem document.
	Extra map[string]any
}

func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Code + ": " + e.Message
}

// Errorf builds an *Error of kind with a stable code and a formatted message.
func Errorf(kind ErrorKind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid builds a KindInvalid error listing the offending fields.
func Invalid(code, message string, fields ...FieldError) *Error {
	return &Error{Kind: KindInvalid, Code: code, Message: message, Fields: fields}
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// KindOf returns the kind of err: the kind of its *Error, or KindInternal for
// anything foreign.
func KindOf(err error) ErrorKind {
	if e, ok := AsError(err); ok {
		return e.Kind
	}
	return KindInternal
}

// IsDeadlock says whether err is PostgreSQL's deadlock_detected: the
// transaction was rolled back whole and may be run again.
func IsDeadlock(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "40P01"
}
