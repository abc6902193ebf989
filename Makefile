# The two commands: `make run` serves the broker with its embedded dev defaults, `make test`
# installs what the tests need and runs all of them. Both work on a fresh Debian machine.

CARGO ?= cargo
# Debian packages the build and the tests need: xmlsec and libclang for samael (SAML), the
# xmlsec1 tool and Python venv for the independent SAML SP (pysaml2), redis-server and
# postgresql (the tests start their own servers), chromium and a font with Greek for the
# browser suite; nodejs and npm for it only where npm is missing (it needs Node.js >= 20).
DEB_PACKAGES := build-essential pkg-config ca-certificates libssl-dev libxml2-dev \
	libxmlsec1-dev libxmlsec1-openssl libclang-dev xmlsec1 python3 python3-venv redis-server curl \
	postgresql chromium fonts-dejavu-core $(if $(shell command -v npm),,nodejs npm)

# The Python tools the tests run, in a virtualenv of their own: the independent SAML service
# provider (pysaml2) and schemathesis, which fuzzes the REST API against its OpenAPI document.
VENV := .venv

# Where every broker of `make test` writes its log, and the tests note what no line may hold
# (tests/flow/common/logs.rs); the last step scans it.
export TEST_LOG_DIR := $(CURDIR)/target/tmp/test-logs

.PHONY: run test browser-test openapi-test bench deps lint fmt

deps:
	@scripts/deps.sh $(DEB_PACKAGES)

$(VENV)/.installed: tests/saml/requirements.txt tests/openapi/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check \
		-r tests/saml/requirements.txt -r tests/openapi/requirements.txt
	touch $@

## Serve on 127.0.0.1:8080 (CONFIG=file.toml to use a configuration file).
run: deps
	$(CARGO) run --bin idbroker -- serve $(if $(CONFIG),--config $(CONFIG))

## Install what the tests need, check formatting and lints, run every test of the workspace
## (the broker, loadgen's modes run small, testkit), then the checks against a running broker:
## `make run` serves, schemathesis finds no answer the OpenAPI document does not describe, the
## browser suite; last, no log line of all that holds a test's number, code or secret.
test: deps $(VENV)/.installed lint
	rm -rf "$(TEST_LOG_DIR)"
	$(CARGO) test --workspace --all-targets
	scripts/run-smoke.sh
	scripts/openapi-test.sh
	scripts/browser-test.sh
	$(CARGO) test -p idbroker --test flow -- --ignored --nocapture logscan::

## Every front door, language, viewport and colour scheme in headless Chromium, with axe-core
## on each page; screenshots in target/screenshots/. Needs target/debug/idbroker (`make test`
## builds it). ARGS=--report-only lists the violations without failing.
browser-test: deps
	scripts/browser-test.sh $(ARGS)

## Schemathesis against the REST API and its token endpoint, from the served OpenAPI document
## (docs/openapi.json); about half a minute. Needs target/debug/idbroker (`make test` builds it).
## ARGS go to `schemathesis run`, e.g. ARGS="--seed 7 --max-examples 500".
openapi-test: $(VENV)/.installed
	scripts/openapi-test.sh $(ARGS)

## Complete logins end to end against a release build: OIDC on memory and Redis (limits on and
## off), REST, grants, an SMS pumper beside real logins, a hostile SAML corpus, memory per
## pending session and the in-memory store's insert and read latency at 1000 and 1000000 records.
bench: deps
	$(CARGO) build --release -p idbroker -p loadgen
	target/release/loadgen --mode oidc --store memory --logins $(or $(LOGINS),3000) --concurrency 64
	target/release/loadgen --mode oidc --store memory --logins $(or $(LOGINS),3000) --concurrency 64 --limits off
	target/release/loadgen --mode oidc --store redis --logins $(or $(LOGINS),3000) --concurrency 64
	target/release/loadgen --mode oidc --store memory --logins $(or $(LOGINS),6000) --concurrency 64 --stalled 32
	target/release/loadgen --mode rest --store memory --logins $(or $(LOGINS),3000) --concurrency 64
	target/release/loadgen --mode grant --store memory --logins $(or $(LOGINS),3000) --concurrency 64
	target/release/loadgen --mode pump --store memory --seconds 60 --concurrency 32
	target/release/loadgen --mode hostile --logins 100
	target/release/loadgen --mode pending --store memory --logins 100000 --concurrency 32 --records 1000,1000000

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all
