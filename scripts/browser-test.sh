#!/usr/bin/env bash
# The browser suite (tests/browser/run.mjs): installs its npm packages when needed, starts the
# broker with its dev defaults on a free port in a temporary directory (scripts/broker.sh; the
# keys and .idbroker/ it creates stay out of the work tree), runs the suite and stops the
# broker.
# Arguments go to the suite, e.g. --report-only or --langs el --viewports phone.
# IDBROKER_BIN names the binary (default target/debug/idbroker, which `make test` builds).
set -euo pipefail
cd "$(dirname "$0")/.."

suite=tests/browser
if [ ! -d "$suite/node_modules" ] || [ "$suite/package-lock.json" -nt "$suite/node_modules" ]; then
    npm ci --prefix "$suite" --no-audit --no-fund --loglevel=error
    touch "$suite/node_modules"
fi

. scripts/broker.sh
broker_init browser
# Every login of the suite comes from 127.0.0.1, so the per-address send limits are off; the
# per-number and per-range ones stay on (the suite uses a new number and range each time).
broker_env=(IDBROKER_LIMITS__SENDS_PER_ADDRESS_PER_MINUTE=0 IDBROKER_LIMITS__SENDS_PER_ADDRESS_PER_HOUR=0)
broker_start

status=0
# The numbers and codes the suite handles are noted for the log scan.
handled=${TEST_LOG_DIR:+$TEST_LOG_DIR/browser.handled}
TEST_HANDLED_FILE=$handled node "$suite/run.mjs" --base-url "$url" "$@" || status=$?
broker_check || status=1
exit "$status"
