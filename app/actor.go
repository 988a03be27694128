package app

import (
	"fmt"
	"strconv"
)

// ActorKind says what is acting.
type ActorKind string

// Actor kinds.
const (
	ActorUser   ActorKind = "user"
	ActorToken  ActorKind = "token"
	ActorSystem ActorKind = "system" // the operator at the command line
)

// Actor is who performs a use case. Every app method takes it explicitly;
// it also carries the request facts the audit trail records.
type Actor struct {
	Kind ActorKind
	// ID is the user or token id; zero for system actors.
	ID int64
	// Label is the user's email, the token's name or the system actor's name.
	Label string
	// SessionID is the session behind a user actor (0 for tokens).
	SessionID int64
	// CSRFToken is the session's anti-forgery token.
	CSRFToken string
	RequestID string
	ClientIP  string
	// authzRevision is the policy revision read with the session that
	// authenticated this request (0: unknown), so the request's
	// transaction need not read it again.
	authzRevision int64
}

// Subject is the actor's name in the policy and the audit log:
// user:ID, token:ID or system:NAME.
func (a Actor) Subject() string {
	switch a.Kind {
	case ActorUser, ActorToken:
		return string(a.Kind) + ":" + strconv.FormatInt(a.ID, 10)
	default:
		return "system:" + a.Label
	}
}

// SystemActor is the operator running a command such as `docket user
// create`; it is not subject to the policy (it already holds the database).
func SystemActor(name string) Actor { return Actor{Kind: ActorSystem, Label: name} }

func (a Actor) String() string { return fmt.Sprintf("%s (%s)", a.Subject(), a.Label) }

func userSubject(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

func tokenSubject(id int64) string { return "token:" + strconv.FormatInt(id, 10) }
