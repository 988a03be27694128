-- +goose Up
-- PostgreSQL stops vacuum from truncating its queue-like tables here (an
-- exclusive lock that would stall writers). SQLite has no vacuum beside
-- writers; the version exists so both dialects stay at the same schema
-- version.
SELECT 1;

-- +goose Down
SELECT 1;
