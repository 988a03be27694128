-- +goose Up
-- Reviewers say whether they are taking work; leads see it when assigning.
ALTER TABLE users ADD COLUMN available boolean NOT NULL DEFAULT true;

-- +goose Down
ALTER TABLE users DROP COLUMN available;
