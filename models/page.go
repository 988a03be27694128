package models

import (
	"encoding/base64"
	"encoding/json"
)

// Page bounds for every list endpoint.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 200
)

// EncodeCursor turns a keyset position into an opaque cursor.
func EncodeCursor(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor made by EncodeCursor into v. A cursor that is
// not one of ours is KindInvalid with code invalid_cursor.
func DecodeCursor(cursor string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return Invalid("invalid_cursor", "the cursor is not one this server issued",
			FieldError{Field: "cursor", Code: "invalid_cursor", Message: "not a cursor from a previous page"})
	}
	return nil
}
