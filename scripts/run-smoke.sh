#!/usr/bin/env bash
# Checks that `make run` serves: starts it on a free port, waits for /readyz and the demo page,
# then stops it. `make test` runs this, so the first command of the README stays true.
set -euo pipefail

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
IDBROKER_SERVER__LISTEN="127.0.0.1:$port" IDBROKER_SERVER__PUBLIC_URL="http://127.0.0.1:$port" \
    setsid make --no-print-directory run >"$log" 2>&1 &
runner=$!
stop() { kill -- -"$runner" 2>/dev/null || true; wait "$runner" 2>/dev/null || true; rm -f "$log"; }
trap stop EXIT

for _ in $(seq 1 600); do
    if curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; then
        if curl -sf "http://127.0.0.1:$port/" | grep -q "idbroker demo"; then
            echo "make run: serving the demo on port $port"
            exit 0
        fi
        break
    fi
    if ! kill -0 "$runner" 2>/dev/null; then
        break
    fi
    sleep 0.5
done
echo "make run did not serve the demo page:" >&2
cat "$log" >&2
exit 1
