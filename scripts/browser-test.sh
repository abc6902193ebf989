#!/usr/bin/env bash
# The browser suite (tests/browser/run.mjs): installs its npm packages when needed, starts the
# broker with its dev defaults on a free port in a temporary directory (the keys and
# .idbroker/ it creates stay out of the work tree), runs the suite and stops the broker.
# Arguments go to the suite, e.g. --report-only or --langs el --viewports phone.
# IDBROKER_BIN names the binary (default target/debug/idbroker, which `make test` builds).
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${IDBROKER_BIN:-target/debug/idbroker}
if [ ! -x "$bin" ]; then
    echo "no broker binary at $bin: build it (cargo build --bin idbroker) or set IDBROKER_BIN" >&2
    exit 1
fi
bin=$(realpath "$bin")

suite=tests/browser
if [ ! -d "$suite/node_modules" ] || [ "$suite/package-lock.json" -nt "$suite/node_modules" ]; then
    npm ci --prefix "$suite" --no-audit --no-fund --loglevel=error
    touch "$suite/node_modules"
fi

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
# Every login of the suite comes from 127.0.0.1, so the per-address send limits are off; the
# per-number and per-range ones stay on (the suite uses a new number and range each time).
(cd "$work" && exec env IDBROKER_SERVER__LISTEN="127.0.0.1:$port" IDBROKER_SERVER__PUBLIC_URL="$url" \
    IDBROKER_LIMITS__SENDS_PER_ADDRESS_PER_MINUTE=0 IDBROKER_LIMITS__SENDS_PER_ADDRESS_PER_HOUR=0 \
    "$bin" serve) >"$work/broker.log" 2>&1 &
broker=$!
stop() { kill "$broker" 2>/dev/null || true; wait "$broker" 2>/dev/null || true; rm -rf "$work"; }
trap stop EXIT

for _ in $(seq 1 300); do
    curl -sf "$url/readyz" >/dev/null && break
    if ! kill -0 "$broker" 2>/dev/null; then
        echo "the broker did not start:" >&2
        cat "$work/broker.log" >&2
        exit 1
    fi
    sleep 0.2
done
curl -sf "$url/readyz" >/dev/null || { echo "the broker is not ready after 60 s:" >&2; cat "$work/broker.log" >&2; exit 1; }

status=0
node "$suite/run.mjs" --base-url "$url" "$@" || status=$?
if ! kill -0 "$broker" 2>/dev/null; then
    echo "the broker stopped during the run; the end of its log:" >&2
    tail -n 20 "$work/broker.log" >&2
    status=1
fi
exit "$status"
