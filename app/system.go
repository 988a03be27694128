package app

import (
	"context"
	"time"
)

// DatabaseStatus describes the store for the status page.
type DatabaseStatus struct {
	Dialect           string  `json:"dialect"`
	Reachable         bool    `json:"reachable"`
	LatencyMS         float64 `json:"latency_ms"`
	SchemaVersion     int64   `json:"schema_version"`
	LatestVersion     int64   `json:"latest_version"`
	MigrationsCurrent bool    `json:"migrations_current"`
}

// SystemStatus is what GET /api/v1/system/status reports.
type SystemStatus struct {
	Status        string         `json:"status"` // ok | degraded
	Version       string         `json:"version"`
	StartedAt     time.Time      `json:"started_at"`
	UptimeSeconds int64          `json:"uptime_seconds"`
	Database      DatabaseStatus `json:"database"`
}

// Readiness is what /readyz reports: each check is "ok" or what is wrong.
type Readiness struct {
	Ready  bool
	Checks map[string]string
}

const probeTimeout = 2 * time.Second

// Status reports build, uptime, database reachability and migration state.
// It never fails: a broken database shows up as status "degraded".
func (a *App) Status(ctx context.Context) SystemStatus {
	now := a.now()
	st := SystemStatus{
		Status:        "ok",
		Version:       a.version,
		StartedAt:     a.startedAt,
		UptimeSeconds: int64(now.Sub(a.startedAt).Seconds()),
		Database:      a.databaseStatus(ctx),
	}
	if !st.Database.Reachable || !st.Database.MigrationsCurrent {
		st.Status = "degraded"
	}
	return st
}

func (a *App) databaseStatus(ctx context.Context) DatabaseStatus {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	ds := DatabaseStatus{Dialect: string(a.db.Dialect)}
	lat, err := a.db.Ping(ctx)
	if err != nil {
		a.log.WarnContext(ctx, "database ping failed", "err", err)
		return ds
	}
	ds.Reachable = true
	ds.LatencyMS = float64(lat.Microseconds()) / 1000
	cur, latest, err := a.schema.Versions(ctx)
	if err != nil {
		a.log.WarnContext(ctx, "schema version unknown", "err", err)
		return ds
	}
	ds.SchemaVersion, ds.LatestVersion = cur, latest
	ds.MigrationsCurrent = cur == latest
	return ds
}

// Ready reports whether this instance should receive traffic: the database
// answers and every embedded migration is applied.
func (a *App) Ready(ctx context.Context) Readiness {
	ds := a.databaseStatus(ctx)
	r := Readiness{Ready: true, Checks: map[string]string{"database": "ok", "migrations": "ok"}}
	if !ds.Reachable {
		r.Ready = false
		r.Checks["database"] = "unreachable"
		r.Checks["migrations"] = "unknown"
		return r
	}
	if !ds.MigrationsCurrent {
		r.Ready = false
		r.Checks["migrations"] = "pending"
	}
	return r
}
