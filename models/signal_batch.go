package models

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Multi-row statements are cut into chunks so that their bound parameters
// stay well under both dialects' limits (PostgreSQL 65,535; SQLite 32,766).
const maxBatchParams = 8000

func isPostgres(db *gorm.DB) bool { return db.Dialector.Name() == "postgres" }

// placeholders writes n groups of cols "?" each: (?,?),(?,?)...
func placeholders(sb *strings.Builder, n, cols int) {
	group := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(group)
	}
}

// chunks calls fn for consecutive ranges [lo, hi) of n rows of cols
// parameters each.
func chunks(n, cols int, fn func(lo, hi int) error) error {
	per := max(1, maxBatchParams/cols)
	for lo := 0; lo < n; lo += per {
		if err := fn(lo, min(n, lo+per)); err != nil {
			return err
		}
	}
	return nil
}

// InsertSubjects inserts the subjects whose (kind, external id) is not
// stored yet, in the order given (callers pass one global order, so
// concurrent batches wait for each other's new subjects instead of
// deadlocking), and leaves the others alone. IDs are not set: read the
// rows back with FindSubjectsByKeys.
func InsertSubjects(ctx context.Context, tx *gorm.DB, subjects []Subject) error {
	db := tx.WithContext(ctx)
	const cols = 10
	return chunks(len(subjects), cols, func(lo, hi int) error {
		var sb strings.Builder
		sb.WriteString("INSERT INTO subjects (kind, external_id, market, display_name, attributes, followers, gmv_usd, strike_count, created_at, updated_at) VALUES ")
		placeholders(&sb, hi-lo, cols)
		sb.WriteString(" ON CONFLICT (kind, external_id) DO NOTHING")
		args := make([]any, 0, (hi-lo)*cols)
		for _, s := range subjects[lo:hi] {
			args = append(args, s.Kind, s.ExternalID, s.Market, s.DisplayName, s.Attributes, s.Followers, s.GMVUSD, s.StrikeCount, s.CreatedAt, s.UpdatedAt)
		}
		return db.Exec(sb.String(), args...).Error
	})
}

// SubjectKey is a subject's natural key.
type SubjectKey struct{ Kind, ExternalID string }

// FindSubjectsByKeys returns the stored subjects of keys, by key; keys
// not stored are absent.
func FindSubjectsByKeys(ctx context.Context, db *gorm.DB, keys []SubjectKey) (map[SubjectKey]Subject, error) {
	out := make(map[SubjectKey]Subject, len(keys))
	const columns = "s.id, s.kind, s.external_id, s.market, s.display_name, s.attributes, s.followers, s.gmv_usd, s.strike_count, s.created_at, s.updated_at"
	read := func(query string, args []any) error {
		// Rows, not Scan: gorm's Scan renders every statement with its
		// arguments for its logger, even a silent one (costly at this size).
		return eachRow(db.WithContext(ctx), query, args, func(rows *sql.Rows) error {
			var s Subject
			if err := rows.Scan(&s.ID, &s.Kind, &s.ExternalID, &s.Market, &s.DisplayName, &s.Attributes, &s.Followers, &s.GMVUSD,
				&s.StrikeCount, &s.CreatedAt, &s.UpdatedAt); err != nil {
				return err
			}
			out[SubjectKey{s.Kind, s.ExternalID}] = s
			return nil
		})
	}
	if isPostgres(db) {
		// The keys as two arrays: one statement text whatever the batch's
		// size, planned once per connection as a nested loop over the
		// unique index. A list of row values is planned on every call
		// (~3 ms for 100 keys) into an OR of 100 bitmap scans.
		kinds, ids := make(textArray, len(keys)), make(textArray, len(keys))
		for i, k := range keys {
			kinds[i], ids[i] = k.Kind, k.ExternalID
		}
		return out, read("SELECT "+columns+" FROM subjects s JOIN unnest("+arrayParams("text", "text")+") AS k(kind, external_id)"+
			" ON s.kind = k.kind AND s.external_id = k.external_id", []any{kinds, ids})
	}
	err := chunks(len(keys), 2, func(lo, hi int) error {
		var sb strings.Builder
		sb.WriteString("SELECT " + columns + " FROM subjects s WHERE (kind, external_id) IN (")
		placeholders(&sb, hi-lo, 2)
		sb.WriteString(")")
		args := make([]any, 0, (hi-lo)*2)
		for _, k := range keys[lo:hi] {
			args = append(args, k.Kind, k.ExternalID)
		}
		return read(sb.String(), args)
	})
	return out, err
}

// SignalKey is a signal's idempotency key.
type SignalKey struct{ Source, SourceID string }

type signalKeyID struct {
	ID       int64
	Source   string
	SourceID string
}

// signalKeyIDs runs a query answering (id, source, source_id) rows.
func signalKeyIDs(db *gorm.DB, query string, args []any) ([]signalKeyID, error) {
	var out []signalKeyID
	return out, eachRow(db, query, args, func(rows *sql.Rows) error {
		var r signalKeyID
		err := rows.Scan(&r.ID, &r.Source, &r.SourceID)
		out = append(out, r)
		return err
	})
}

// scanFirst scans the first of rows into dest with gorm's ScanRows and
// closes rows; found is false when there is no row.
func scanFirst(db *gorm.DB, rows *sql.Rows, dest any) (found bool, err error) {
	defer rows.Close()
	if !rows.Next() {
		return false, rows.Err()
	}
	if err := db.ScanRows(rows, dest); err != nil {
		return true, err
	}
	return true, rows.Close()
}

// eachRow runs a query and calls fn on each row (with Rows, not Scan:
// gorm's Scan formats the statement for the logger even when it is silent).
func eachRow(db *gorm.DB, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// InsertSignals stores the signals whose (source, source_id) is not stored
// yet, in the order given, sets their IDs and reports which were new. The
// others are left alone (their ID stays 0): concurrent inserts of one key
// store it once, the unique index deciding as in InsertSignal. Keys must
// be distinct within the call.
func InsertSignals(ctx context.Context, tx *gorm.DB, sigs []*Signal) ([]bool, error) {
	db := tx.WithContext(ctx)
	fresh := make([]bool, len(sigs))
	const cols = 9
	err := chunks(len(sigs), cols, func(lo, hi int) error {
		var sb strings.Builder
		sb.WriteString("INSERT INTO signals (source, source_id, type, subject_id, market, occurred_at, received_at, attributes, sent_by) VALUES ")
		placeholders(&sb, hi-lo, cols)
		sb.WriteString(" ON CONFLICT (source, source_id) DO NOTHING RETURNING id, source, source_id")
		args := make([]any, 0, (hi-lo)*cols)
		at := make(map[SignalKey]int, hi-lo)
		for i, s := range sigs[lo:hi] {
			args = append(args, s.Source, s.SourceID, s.Type, s.SubjectID, s.Market, s.OccurredAt, s.ReceivedAt, s.Attributes, s.SentBy)
			at[SignalKey{s.Source, s.SourceID}] = lo + i
		}
		rows, err := signalKeyIDs(db, sb.String(), args)
		if err != nil {
			return err
		}
		for _, r := range rows {
			i, ok := at[SignalKey{r.Source, r.SourceID}]
			if !ok {
				return fmt.Errorf("insert signals: returned an unknown key %q/%q", r.Source, r.SourceID)
			}
			sigs[i].ID, fresh[i] = r.ID, true
		}
		return nil
	})
	return fresh, err
}

// FindSignalIDsBySource returns the ids of the stored signals of keys.
func FindSignalIDsBySource(ctx context.Context, db *gorm.DB, keys []SignalKey) (map[SignalKey]int64, error) {
	out := make(map[SignalKey]int64, len(keys))
	err := chunks(len(keys), 2, func(lo, hi int) error {
		var sb strings.Builder
		sb.WriteString("SELECT id, source, source_id FROM signals WHERE (source, source_id) IN (")
		placeholders(&sb, hi-lo, 2)
		sb.WriteString(")")
		args := make([]any, 0, (hi-lo)*2)
		for _, k := range keys[lo:hi] {
			args = append(args, k.Source, k.SourceID)
		}
		rows, err := signalKeyIDs(db.WithContext(ctx), sb.String(), args)
		if err != nil {
			return err
		}
		for _, r := range rows {
			out[SignalKey{r.Source, r.SourceID}] = r.ID
		}
		return nil
	})
	return out, err
}

// VelocityProbe asks for one subject's window (From, To].
type VelocityProbe struct {
	SubjectID int64
	From, To  time.Time
}

// VelocityWindows answers one velocity call (function, type, attribute)
// for many windows: out[i] is exactly what VelocityWindow answers for
// probes[i] (the same predicate and aggregate, evaluated per probe against
// the subject's signals).
func VelocityWindows(ctx context.Context, db *gorm.DB, fn, typ, attr string, probes []VelocityProbe) ([]float64, error) {
	out, err := VelocityBatch(ctx, db, []VelocityQuery{{Func: fn, Type: typ, Attribute: attr, Probes: probes}})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// VelocityQuery is one velocity call asked for many windows.
type VelocityQuery struct {
	Func, Type, Attribute string
	Probes                []VelocityProbe
}

// VelocityBatch answers several velocity calls, each for many windows:
// out[q][i] is what VelocityWindow answers for queries[q].Probes[i]. On
// PostgreSQL that is one statement for all of them (the probes travel as
// arrays, so its text depends only on the functions asked); SQLite, in
// process, runs one statement per call with the probes as a VALUES list.
func VelocityBatch(ctx context.Context, db *gorm.DB, queries []VelocityQuery) ([][]float64, error) {
	out := make([][]float64, len(queries))
	for q := range queries {
		out[q] = make([]float64, len(queries[q].Probes))
	}
	want := 0
	for _, vq := range queries {
		want += len(vq.Probes)
	}
	read := velocityPerCall
	if isPostgres(db) {
		read = velocityByType
	}
	filled, err := read(ctx, db, queries, out)
	if err != nil {
		return nil, err
	}
	if filled != want {
		return nil, fmt.Errorf("velocity: %d answers for %d windows", filled, want)
	}
	return out, nil
}

// velocityPerCall answers queries on SQLite, in process: one statement per
// call, the probes as a VALUES list. It returns how many answers it wrote.
func velocityPerCall(ctx context.Context, db *gorm.DB, queries []VelocityQuery, out [][]float64) (int, error) {
	filled := 0
	for q, vq := range queries {
		window, wargs := velocityWindowSQL(db, vq)
		err := chunks(len(vq.Probes), 4, func(lo, hi int) error {
			var sb strings.Builder
			sb.WriteString("WITH v(i, subject_id, from_at, to_at) AS (VALUES ")
			placeholders(&sb, hi-lo, 4)
			sb.WriteString(") SELECT v.i AS i, " + window + " AS value FROM v")
			args := make([]any, 0, (hi-lo)*4+3)
			for i, p := range vq.Probes[lo:hi] {
				args = append(args, lo+i, p.SubjectID, p.From, p.To)
			}
			return eachRow(db.WithContext(ctx), sb.String(), append(args, wargs...), func(rows *sql.Rows) error {
				var i int
				var v float64
				if err := rows.Scan(&i, &v); err != nil {
					return err
				}
				if i < lo || i >= hi {
					return fmt.Errorf("velocity: an answer for an unknown window (%d, %d)", q, i)
				}
				out[q][i] = v
				filled++
				return nil
			})
		})
		if err != nil {
			return filled, err
		}
	}
	return filled, nil
}

// velocityByType answers queries on PostgreSQL in one statement, one
// scan per distinct (subject, window end) and signal type: the calls on
// one type (say count over 1h, count over 24h and distinct over 7d of
// reports) share a range scan of the subject's signals over the widest
// window, each call's aggregate filtered to its own window. Per type, the
// probes travel as arrays: the subject, the window end, and each call's
// window start (NULL where that call did not ask about this point); each
// type's answers come back as one two-dimensional array, a row per point.
// It returns how many answers it wrote.
func velocityByType(ctx context.Context, db *gorm.DB, queries []VelocityQuery, out [][]float64) (int, error) {
	type group struct {
		typ    string
		calls  []int              // query indexes
		ids    textArray          // per point
		tos    textArray          // per point
		froms  []nullTextArray    // per call, per point
		points [][]int            // per call, per probe: the point it reads
		byKey  map[[2]int64][]int // points by (subject, window end)
	}
	var groups []*group
	byType := map[string]*group{}
	for q, vq := range queries {
		if len(vq.Probes) == 0 {
			continue
		}
		g := byType[vq.Type]
		if g == nil {
			g = &group{typ: vq.Type, byKey: map[[2]int64][]int{}}
			byType[vq.Type] = g
			groups = append(groups, g)
		}
		c := len(g.calls)
		g.calls = append(g.calls, q)
		g.froms = append(g.froms, make(nullTextArray, len(g.ids)))
		points := make([]int, len(vq.Probes))
		for i, p := range vq.Probes {
			key := [2]int64{p.SubjectID, p.To.UnixNano()}
			at := -1
			for _, pt := range g.byKey[key] { // a point this call has not used yet
				if g.froms[c][pt] == nil {
					at = pt
					break
				}
			}
			if at < 0 {
				at = len(g.ids)
				g.byKey[key] = append(g.byKey[key], at)
				g.ids = append(g.ids, strconv.FormatInt(p.SubjectID, 10))
				g.tos = append(g.tos, timeText(p.To))
				for k := range g.froms {
					g.froms[k] = append(g.froms[k], nil)
				}
			}
			from := timeText(p.From)
			g.froms[c][at] = &from
			points[i] = at
		}
		g.points = append(g.points, points)
	}
	if len(groups) == 0 {
		return 0, nil
	}
	var sb strings.Builder
	var args []any
	for gi, g := range groups {
		if gi > 0 {
			sb.WriteString(" UNION ALL ")
		}
		k := len(g.calls)
		cols, aggs, names, starts := make([]string, k), make([]string, k), make([]string, k), make([]string, k)
		types := []string{"bigint", "timestamptz"}
		var aggArgs []any
		for c, q := range g.calls {
			cols[c], names[c] = fmt.Sprintf("x.a%d", c), fmt.Sprintf("f%d", c)
			starts[c] = "v." + names[c]
			agg, aargs := velocityAggregate(db, queries[q])
			aggs[c] = fmt.Sprintf("CAST(COALESCE(%s FILTER (WHERE signals.occurred_at > %s), 0) AS float8) AS a%d", agg, starts[c], c)
			aggArgs = append(aggArgs, aargs...)
			types = append(types, "timestamptz")
		}
		sb.WriteString("SELECT CAST(? AS integer) AS g, CAST(array_agg(ARRAY[" + strings.Join(cols, ", ") + "] ORDER BY v.i) AS text) AS vals" +
			" FROM unnest(" + arrayParams(types...) + ") WITH ORDINALITY AS v(subject_id, to_at, " + strings.Join(names, ", ") + ", i)" +
			" CROSS JOIN LATERAL (SELECT " + strings.Join(aggs, ", ") + " FROM signals WHERE signals.subject_id = v.subject_id" +
			" AND signals.type = ? AND signals.occurred_at > LEAST(" + strings.Join(starts, ", ") + ") AND signals.occurred_at <= v.to_at) x")
		args = append(args, gi)
		args = append(args, g.ids, g.tos)
		for _, f := range g.froms {
			args = append(args, f)
		}
		args = append(append(args, aggArgs...), g.typ)
	}
	filled := 0
	err := eachRow(db.WithContext(ctx), sb.String(), args, func(rows *sql.Rows) error {
		var gi int
		var vals string
		if err := rows.Scan(&gi, &vals); err != nil {
			return err
		}
		if gi < 0 || gi >= len(groups) {
			return fmt.Errorf("velocity: answers for an unknown type (%d)", gi)
		}
		g := groups[gi]
		flat := strings.Split(strings.NewReplacer("{", "", "}", "").Replace(vals), ",")
		if len(flat) != len(g.ids)*len(g.calls) {
			return fmt.Errorf("velocity: %d answers for %d points of %d calls", len(flat), len(g.ids), len(g.calls))
		}
		for c, points := range g.points {
			for i, pt := range points {
				v := flat[pt*len(g.calls)+c]
				f, err := strconv.ParseFloat(v, 64)
				if err != nil {
					return fmt.Errorf("velocity: answer %q: %w", v, err)
				}
				out[g.calls[c]][i] = f
				filled++
			}
		}
		return nil
	})
	return filled, err
}

// velocityAggregate is the aggregate of one call over rows of signals,
// with its arguments.
func velocityAggregate(db *gorm.DB, q VelocityQuery) (string, []any) {
	switch q.Func {
	case "count":
		return "COUNT(*)", nil
	case "sum":
		return jsonNumberSum(db), []any{q.Attribute, q.Attribute}
	default:
		return "COUNT(DISTINCT " + jsonText(db) + ")", []any{q.Attribute}
	}
}

// velocityWindowSQL is the aggregate of one call over the window of the
// probe row v (subject_id, from_at, to_at), with its arguments: the
// predicate and aggregates of VelocityWindow.
func velocityWindowSQL(db *gorm.DB, q VelocityQuery) (string, []any) {
	agg, args := velocityAggregate(db, q)
	return "COALESCE((SELECT " + agg + " FROM signals WHERE signals.subject_id = v.subject_id AND signals.type = ?" +
		" AND signals.occurred_at > v.from_at AND signals.occurred_at <= v.to_at), 0)", append(args, q.Type)
}
