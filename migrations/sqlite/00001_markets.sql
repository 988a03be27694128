-- +goose Up
CREATE TABLE markets (
    code       TEXT PRIMARY KEY CHECK (length(code) = 2 AND code = upper(code)),
    name       TEXT NOT NULL,
    timezone   TEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
