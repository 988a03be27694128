-- +goose Up
CREATE TABLE markets (
    code       text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
    name       text NOT NULL,
    timezone   text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO markets (code, name, timezone) VALUES
    ('ID', 'Indonesia',   'Asia/Jakarta'),
    ('MY', 'Malaysia',    'Asia/Kuala_Lumpur'),
    ('PH', 'Philippines', 'Asia/Manila'),
    ('SG', 'Singapore',   'Asia/Singapore'),
    ('TH', 'Thailand',    'Asia/Bangkok'),
    ('VN', 'Vietnam',     'Asia/Ho_Chi_Minh');

-- +goose Down
DROP TABLE markets;
