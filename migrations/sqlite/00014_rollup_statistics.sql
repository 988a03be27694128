-- +goose Up
-- PostgreSQL adds multivariate statistics for the queue counts rollup here.
-- SQLite has no such statistics and groups the open cases with a
-- temporary b-tree whatever their spread; the version exists so both
-- dialects stay at the same schema version.
SELECT 1;

-- +goose Down
SELECT 1;
