package models

import (
	"database/sql/driver"
	"strconv"
	"strings"
	"time"
)

// textArray is a PostgreSQL array parameter, sent as its text form (one
// parameter, which gorm does not spread into a list as it does slices);
// cast it in SQL to the element type. Statements that take a batch as
// arrays keep one text whatever the batch's size, so PostgreSQL plans
// them once per connection. Write the parameter with arrayParams.
type textArray []string

// arrayParams is the SQL of textArray parameters, one per element type,
// comma-separated: each is typed text and cast to the array in SQL, as in
// CAST(CAST(? AS text) AS bigint[]). Typed as text, the driver sends the
// array's text form as it is; typed as the array, pgx first tries a
// binary encoding of the string, fails, and formats the whole value into
// an error before falling back (15% of the CPU of signal ingestion).
func arrayParams(elemTypes ...string) string {
	parts := make([]string, len(elemTypes))
	for i, t := range elemTypes {
		parts[i] = "CAST(CAST(? AS text) AS " + t + "[])"
	}
	return strings.Join(parts, ", ")
}

// idArray is ids as a textArray.
func idArray(ids []int64) textArray {
	out := make(textArray, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

// timeText is t as an element of a timestamptz array (UTC, to the
// nanosecond; PostgreSQL keeps microseconds).
func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// Value renders {"a","b"}: every element quoted, backslashes and quotes
// escaped, so any text (and the empty string) survives.
func (a textArray) Value() (driver.Value, error) {
	return arrayLiteral(len(a), func(i int) *string { return &a[i] }), nil
}

// nullTextArray is textArray whose nil elements are SQL NULLs.
type nullTextArray []*string

// Value renders {"a",NULL}.
func (a nullTextArray) Value() (driver.Value, error) {
	return arrayLiteral(len(a), func(i int) *string { return a[i] }), nil
}

func arrayLiteral(n int, elem func(i int) *string) string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		s := elem(i)
		if s == nil {
			sb.WriteString("NULL")
			continue
		}
		sb.WriteByte('"')
		for _, r := range *s {
			if r == '"' || r == '\\' {
				sb.WriteByte('\\')
			}
			sb.WriteRune(r)
		}
		sb.WriteByte('"')
	}
	sb.WriteByte('}')
	return sb.String()
}
