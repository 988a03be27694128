package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// Subjects of a signal batch are inserted and read back set-wise (on
// PostgreSQL as one array per column): any text survives the trip, an
// existing subject is left as it was, and every key is found.
func TestSubjectBatchesKeepAnyText(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.Database) {
		ctx := context.Background()
		now := time.Date(2026, 11, 30, 8, 0, 0, 123456000, time.UTC)
		odd := []string{`quote"d`, `back\slash`, `{brace},comma`, "NULL", "ไทย tiếng Việt", " spaced ", `"\"`}
		var rows []models.Subject
		var keys []models.SubjectKey
		for i, id := range odd {
			rows = append(rows, models.Subject{Kind: "seller", ExternalID: id, Market: "VN", DisplayName: id + " name",
				Attributes: `{"note":"` + "x" + `"}`, Followers: int64(i * 1000), GMVUSD: int64(i), StrikeCount: i % 2, CreatedAt: now, UpdatedAt: now})
			keys = append(keys, models.SubjectKey{Kind: "seller", ExternalID: id})
		}
		if err := models.InsertSubjects(ctx, db.Gorm, rows[:3]); err != nil {
			t.Fatal(err)
		}
		renamed := rows[0]
		renamed.DisplayName = "must not replace the stored name"
		if err := models.InsertSubjects(ctx, db.Gorm, append([]models.Subject{renamed}, rows[3:]...)); err != nil {
			t.Fatal(err)
		}
		got, err := models.FindSubjectsByKeys(ctx, db.Gorm, append(keys, models.SubjectKey{Kind: "seller", ExternalID: "absent"}))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(odd) {
			t.Fatalf("found %d subjects, want %d", len(got), len(odd))
		}
		for i, k := range keys {
			s, ok := got[k]
			if !ok || s.ID == 0 || s.DisplayName != odd[i]+" name" || s.Followers != int64(i*1000) || s.StrikeCount != i%2 ||
				!s.CreatedAt.Equal(now) || s.Attributes != rows[i].Attributes {
				t.Fatalf("subject %q came back as %+v", k.ExternalID, s)
			}
		}
	})
}
