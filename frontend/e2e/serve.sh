#!/bin/sh
# Starts the docket binary for the browser tests on a fresh demo database.
# DOCKET_BIN overrides the binary (default: the one `make build` writes).
set -eu

bin="${DOCKET_BIN:-../bin/docket}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/docket-e2e.XXXXXX")"

"$bin" demo --db "sqlite:$tmp/e2e.db"
# Counts refreshed every second: the queue views follow changes quickly.
exec "$bin" serve --log-level warn --addr 127.0.0.1:18080 --db "sqlite:$tmp/e2e.db" --queue-counts-interval 1s
