# Sourced by the scripts that test a running broker (browser-test.sh, openapi-test.sh).
#
#   broker_init NAME     $bin (IDBROKER_BIN, default target/debug/idbroker), $work (an empty
#                        temporary folder the broker runs in, removed on exit), $port, $url,
#                        $log (TEST_LOG_DIR/NAME.log when the Makefile names that folder,
#                        for the log scan at the end of make test; else in $work)
#   broker_start ARGS    starts `idbroker serve ARGS` in $work, with the variables in the array
#                        broker_env, logging JSON to $log; waits until /readyz answers; stops
#                        it on exit
#   broker_check         fails, with the end of its log, when the broker has stopped
# Loopback only, even where a proxy is configured.
export NO_PROXY=127.0.0.1 no_proxy=127.0.0.1

broker_init() {
    bin=${IDBROKER_BIN:-target/debug/idbroker}
    if [ ! -x "$bin" ]; then
        echo "no broker binary at $bin: build it (cargo build --bin idbroker) or set IDBROKER_BIN" >&2
        exit 1
    fi
    bin=$(realpath "$bin")
    work=$(mktemp -d)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    url="http://127.0.0.1:$port"
    if [ -n "${TEST_LOG_DIR:-}" ]; then
        mkdir -p "$TEST_LOG_DIR"
        log="$TEST_LOG_DIR/$1.log"
    else
        log="$work/broker.log"
    fi
    broker=
    trap broker_stop EXIT
}

broker_stop() {
    if [ -n "$broker" ]; then
        kill "$broker" 2>/dev/null || true
        wait "$broker" 2>/dev/null || true
    fi
    rm -rf "$work"
}

broker_start() {
    (cd "$work" && exec env IDBROKER_SERVER__LISTEN="127.0.0.1:$port" IDBROKER_SERVER__PUBLIC_URL="$url" \
        IDBROKER_LOG__FORMAT=json RUST_LOG="info,idbroker=trace,audit=trace" ${broker_env[@]+"${broker_env[@]}"} \
        "$bin" serve "$@") >"$log" 2>&1 &
    broker=$!
    for _ in $(seq 1 300); do
        curl -sf "$url/readyz" >/dev/null && return 0
        if ! kill -0 "$broker" 2>/dev/null; then
            echo "the broker did not start:" >&2
            cat "$log" >&2
            exit 1
        fi
        sleep 0.2
    done
    echo "the broker is not ready after 60 s:" >&2
    cat "$log" >&2
    exit 1
}

broker_check() {
    if ! kill -0 "$broker" 2>/dev/null; then
        echo "the broker stopped during the run; the end of its log:" >&2
        tail -n 20 "$log" >&2
        return 1
    fi
}
