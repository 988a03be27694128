-- +goose Up
-- Reviewers say whether they are taking work; leads see it when assigning.
ALTER TABLE users ADD COLUMN available BOOLEAN NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE users DROP COLUMN available;
