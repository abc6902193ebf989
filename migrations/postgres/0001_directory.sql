-- Registered users and their authenticators (the HID-compatible API). Times are Unix seconds.
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    tenant TEXT NOT NULL,
    user_name TEXT NOT NULL,
    external_id TEXT,
    given_name TEXT,
    family_name TEXT,
    phone TEXT,
    email TEXT,
    created_at BIGINT NOT NULL,
    modified_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (tenant, user_name)
);
CREATE INDEX users_by_external_id ON users (tenant, external_id);

CREATE TABLE authenticators (
    tenant TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    policy TEXT NOT NULL,
    activation_hash TEXT,
    enabled BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    consecutive_failed BIGINT NOT NULL DEFAULT 0,
    consecutive_success BIGINT NOT NULL DEFAULT 0,
    total_failed BIGINT NOT NULL DEFAULT 0,
    total_success BIGINT NOT NULL DEFAULT 0,
    last_success_at BIGINT,
    last_failure_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (tenant, user_id, policy)
);
