# The two commands: `make run` serves the broker with its embedded dev defaults, `make test`
# installs what the tests need and runs all of them. Both work on a fresh Debian machine.

CARGO ?= cargo
# Debian packages the build and the tests need: xmlsec and libclang for samael (SAML), the
# xmlsec1 tool and Python venv for the independent SAML SP (pysaml2) in the tests.
DEB_PACKAGES := build-essential pkg-config ca-certificates libssl-dev libxml2-dev \
	libxmlsec1-dev libxmlsec1-openssl libclang-dev xmlsec1 python3 python3-venv

.PHONY: run test deps lint fmt

deps:
	@scripts/deps.sh $(DEB_PACKAGES)

## Serve on 127.0.0.1:8080 (CONFIG=file.toml to use a configuration file).
run: deps
	$(CARGO) run -- serve $(if $(CONFIG),--config $(CONFIG))

## Install what the tests need, check formatting and lints, run every test.
test: deps lint
	$(CARGO) test --all-targets

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

fmt:
	$(CARGO) fmt
