package models_test

import (
	"encoding/json"
	"testing"

	"github.com/docket-tns/docket/internal/testdb"
	"github.com/docket-tns/docket/models"
)

// TestRollupGroupEstimate checks that PostgreSQL expects about as many
// groups from the queue counts rollup as there are. Its seven columns
// vary together (a market has its queue, a severity its status); without
// the multivariate statistics of migration 00014 the planner multiplies
// their distinct counts, overestimates the groups many times over and at
// scale sorts every open case on disk instead of hashing them.
func TestRollupGroupEstimate(t *testing.T) {
	db := testdb.Postgres(t)
	g := db.Gorm
	seed := []string{
		`INSERT INTO subjects (kind, external_id, market, display_name, created_at, updated_at)
			SELECT 'seller', 'est-' || i, (ARRAY['ID','MY','PH','SG','TH','VN'])[1 + i % 6], 'shop ' || i, now(), now()
			FROM generate_series(0, 5999) AS i`,
		// 24 groups: the market fixes the policy and the queue, the
		// severity fixes the status.
		`INSERT INTO cases (subject_id, market, policy_code, severity, status, queue, sla_due_at, created_by, created_at, updated_at)
			SELECT s.id, s.market,
				CASE WHEN s.market IN ('ID','MY','PH') THEN 'counterfeit' ELSE 'prohibited_item' END,
				(ARRAY['critical','high','medium','low'])[1 + (s.id / 6) % 4],
				CASE WHEN (s.id / 6) % 4 < 2 THEN 'triaged' ELSE 'new' END,
				'queue-' || lower(s.market),
				now() + interval '1 day', 'test', now(), now()
			FROM subjects s WHERE s.external_id LIKE 'est-%'`,
		`ANALYZE cases`,
	}
	for _, q := range seed {
		if err := g.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	var groups int
	if err := g.Raw("SELECT count(*) FROM ("+models.CaseCountsGrouping+") g",
		"2026-01-01", "2026-01-01", "2026-01-01", models.StatusResolved).Scan(&groups).Error; err != nil {
		t.Fatal(err)
	}
	if groups != 24 {
		t.Fatalf("seeded %d groups, want 24", groups)
	}
	var plan string
	if err := g.Raw("EXPLAIN (FORMAT JSON) "+models.CaseCountsGrouping,
		"2026-01-01", "2026-01-01", "2026-01-01", models.StatusResolved).Scan(&plan).Error; err != nil {
		t.Fatal(err)
	}
	var top []struct {
		Plan struct {
			NodeType string  `json:"Node Type"`
			Rows     float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal([]byte(plan), &top); err != nil || len(top) != 1 {
		t.Fatalf("plan %s: %v", plan, err)
	}
	// With the statistics PostgreSQL 15 expects 96 (it still multiplies
	// in a little); without them 2,304 (the product of the columns'
	// distinct counts).
	if est := top[0].Plan.Rows; est > 10*float64(groups) {
		t.Errorf("the planner expects %.0f groups (%s) where there are %d", est, top[0].Plan.NodeType, groups)
	}
}

// Vacuuming the emptied queue-like tables never truncates them: a
// truncation takes an ACCESS EXCLUSIVE lock that would stall every claim
// (which stages an audit entry) and every queue read (which reads the
// counts) while it waits and while it holds (migration 00015).
func TestVacuumKeepsQueueTablesPages(t *testing.T) {
	db := testdb.Postgres(t)
	g := db.Gorm
	ctx := t.Context()
	for _, tc := range []struct {
		table  string
		fill   string
		vacuum func() error
	}{
		{"audit_pending", `INSERT INTO audit_pending (occurred_at, actor, actor_label, action, object_type, object_id)
			SELECT now(), 'system:test', 'test', 'test.staged', 'test', g::text FROM generate_series(1, 2000) AS g`,
			func() error { return models.VacuumAuditPending(ctx, g) }},
		{"case_counts", `INSERT INTO case_counts (market, policy_code, severity, status, emergency, assigned, total, breached, at_risk, oldest_created_at)
			SELECT 'VN', 'counterfeit', 'high', 'triaged', false, false, g, 0, 0, now() FROM generate_series(1, 2000) AS g`,
			func() error { return models.VacuumCaseCounts(ctx, g) }},
	} {
		if err := g.Exec(tc.fill).Error; err != nil {
			t.Fatal(err)
		}
		if err := g.Exec("DELETE FROM " + tc.table).Error; err != nil {
			t.Fatal(err)
		}
		if err := tc.vacuum(); err != nil {
			t.Fatal(err)
		}
		var pages int64
		if err := g.Raw("SELECT pg_relation_size(?) / current_setting('block_size')::int", tc.table).Scan(&pages).Error; err != nil {
			t.Fatal(err)
		}
		if pages == 0 {
			t.Errorf("vacuum truncated %s to nothing", tc.table)
		}
	}
}
