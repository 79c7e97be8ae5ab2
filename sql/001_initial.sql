-- The whole data model. Rules for every migration file (see Migrator.h):
--   * a statement ends with ';' at the end of a line; lines starting with '--' are comments;
--   * {{ID}} is the id column, {{BLOB}} a binary column, {{NOW}} the time the migration runs (ms since epoch);
--   * times are BIGINT milliseconds since the epoch (UTC), booleans INTEGER 0/1, money BIGINT micro-dollars
--     (1 USD = 1 000 000), JSON documents TEXT; deletes are soft (deleted_at).

CREATE TABLE roles (
    id {{ID}},
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    description TEXT NOT NULL DEFAULT '',
    -- JSON array of permission strings (core/auth/Permissions.h), e.g. ["proxy:*","stats:own"]
    permissions TEXT NOT NULL DEFAULT '[]',
    builtin INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE users (
    id {{ID}},
    username TEXT NOT NULL CHECK (username <> ''),
    display_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    role_id BIGINT NOT NULL REFERENCES roles (id),
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until BIGINT,
    last_login_at BIGINT,
    -- access tokens issued before this are rejected (password change or reset)
    password_changed_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT
);
-- A deleted user's name may be taken again; ids, not names, tie users to keys, traces and audit entries.
CREATE UNIQUE INDEX users_username_live ON users (username) WHERE deleted_at IS NULL;
CREATE INDEX users_role ON users (role_id);

CREATE TABLE refresh_tokens (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    client_address TEXT
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Provider types are data: how to reach a provider, how to authenticate, where usage and model are found.
CREATE TABLE provider_types (
    id {{ID}},
    -- identifier used in permissions (proxy:<name>) and URLs: lower case, never reused
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    display_name TEXT NOT NULL,
    -- request/response/error dialect the proxy speaks for this type
    api_format TEXT NOT NULL CHECK (api_format IN ('openai', 'anthropic', 'gemini')),
    base_url TEXT NOT NULL CHECK (base_url <> ''),
    -- the provider key goes into this header, {key} replaced; clients send their gateway key the same way
    auth_header TEXT NOT NULL,
    auth_template TEXT NOT NULL DEFAULT '{key}',
    -- query parameter that may carry the key instead of the header (Gemini: key), NULL when none
    key_query_param TEXT,
    -- JSON object of headers added when the client did not send them, e.g. {"anthropic-version":"2023-06-01"}
    default_headers TEXT NOT NULL DEFAULT '{}',
    -- JSON object: usage field -> dotted paths tried in order, first present wins; fields: prompt_tokens,
    -- completion_tokens, total_tokens (absent: prompt + completion), cache_read_tokens, cache_write_tokens
    usage_paths TEXT NOT NULL DEFAULT '{}',
    -- JSON object: "response": dotted paths in the response body, "request": paths in the request body,
    -- "url": a pattern on the request path with {model} marking the model, e.g. "models/{model}:"
    model_paths TEXT NOT NULL DEFAULT '{}',
    -- JSON object: SSE event type (the event: line, else the data's "type") -> dotted path of the object that
    -- holds usage and model in that event; events not listed are read from the data root. Later values win.
    stream_event_roots TEXT NOT NULL DEFAULT '{}',
    probe_method TEXT NOT NULL DEFAULT 'GET',
    probe_path TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    builtin INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT
);

CREATE TABLE provider_keys (
    id {{ID}},
    provider_type_id BIGINT NOT NULL REFERENCES provider_types (id),
    name TEXT NOT NULL CHECK (name <> ''),
    -- 'api_key': the secret below; 'oauth': tokens of the oauth_sessions row of this key
    auth_kind TEXT NOT NULL DEFAULT 'api_key' CHECK (auth_kind IN ('api_key', 'oauth')),
    -- AES-256-GCM: nonce || ciphertext || tag, the row id bound as associated data
    secret_ciphertext {{BLOB}},
    secret_prefix TEXT NOT NULL DEFAULT '',
    secret_suffix TEXT NOT NULL DEFAULT '',
    weight INTEGER NOT NULL DEFAULT 1 CHECK (weight >= 1),
    rpm_limit INTEGER CHECK (rpm_limit IS NULL OR rpm_limit > 0),
    tpm_limit BIGINT CHECK (tpm_limit IS NULL OR tpm_limit > 0),
    rpd_limit INTEGER CHECK (rpd_limit IS NULL OR rpd_limit > 0),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- persisted health, so cooldowns and invalid marks survive a restart
    health_status TEXT NOT NULL DEFAULT 'unknown'
        CHECK (health_status IN ('unknown', 'healthy', 'cooldown', 'ejected', 'invalid')),
    cooldown_until BIGINT,
    invalid_reason TEXT,
    last_error TEXT,
    last_error_at BIGINT,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT,
    CHECK (auth_kind = 'oauth' OR secret_ciphertext IS NOT NULL)
);
CREATE UNIQUE INDEX provider_keys_name_live ON provider_keys (provider_type_id, name) WHERE deleted_at IS NULL;

CREATE TABLE gateway_keys (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    provider_type_id BIGINT NOT NULL REFERENCES provider_types (id),
    name TEXT NOT NULL DEFAULT '',
    -- hex SHA-256 of the whole key; the key itself is shown once and never stored
    key_hash TEXT NOT NULL UNIQUE,
    key_prefix TEXT NOT NULL,
    strategy TEXT NOT NULL DEFAULT 'round_robin'
        CHECK (strategy IN ('round_robin', 'weighted', 'health_best', 'smart')),
    retry_count INTEGER NOT NULL DEFAULT 2 CHECK (retry_count BETWEEN 0 AND 10),
    timeout_ms INTEGER NOT NULL DEFAULT 300000 CHECK (timeout_ms > 0),
    rpm_limit INTEGER CHECK (rpm_limit IS NULL OR rpm_limit > 0),
    rpd_limit INTEGER CHECK (rpd_limit IS NULL OR rpd_limit > 0),
    tokens_per_day_limit BIGINT CHECK (tokens_per_day_limit IS NULL OR tokens_per_day_limit > 0),
    cost_per_day_limit_micros BIGINT CHECK (cost_per_day_limit_micros IS NULL OR cost_per_day_limit_micros > 0),
    expires_at BIGINT,
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT,
    last_used_at BIGINT
);
-- A user holds at most one active key per provider type.
CREATE UNIQUE INDEX gateway_keys_one_active ON gateway_keys (user_id, provider_type_id)
    WHERE deleted_at IS NULL AND enabled = 1;
CREATE INDEX gateway_keys_type ON gateway_keys (provider_type_id);

-- Which provider keys serve a gateway key (the service keeps both of the same provider type).
CREATE TABLE gateway_key_pool (
    gateway_key_id BIGINT NOT NULL REFERENCES gateway_keys (id) ON DELETE CASCADE,
    provider_key_id BIGINT NOT NULL REFERENCES provider_keys (id) ON DELETE CASCADE,
    PRIMARY KEY (gateway_key_id, provider_key_id)
);
CREATE INDEX gateway_key_pool_provider_key ON gateway_key_pool (provider_key_id);

-- One row per proxied request, success or failure; written in batches by the trace writer.
CREATE TABLE traces (
    id {{ID}},
    request_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- NULL when the request failed before the key, user, type or provider key was known
    gateway_key_id BIGINT REFERENCES gateway_keys (id),
    user_id BIGINT REFERENCES users (id),
    provider_type_id BIGINT REFERENCES provider_types (id),
    provider_key_id BIGINT REFERENCES provider_keys (id),
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    model TEXT,
    -- HTTP status sent to the client; 0 when the client left before one was sent
    status INTEGER NOT NULL,
    success INTEGER NOT NULL CHECK (success IN (0, 1)),
    -- e.g. auth, limit, upstream_connect, upstream_timeout, upstream_status, stream_cut, client_gone
    error_kind TEXT,
    error_message TEXT,
    prompt_tokens BIGINT NOT NULL DEFAULT 0,
    completion_tokens BIGINT NOT NULL DEFAULT 0,
    total_tokens BIGINT NOT NULL DEFAULT 0,
    cache_read_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    -- micro-dollars, 0 when no price is known
    cost_micros BIGINT NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    ttfb_ms INTEGER,
    retries INTEGER NOT NULL DEFAULT 0,
    streamed INTEGER NOT NULL DEFAULT 0 CHECK (streamed IN (0, 1)),
    client_address TEXT
);
CREATE INDEX traces_time ON traces (created_at);
CREATE INDEX traces_gateway_key_time ON traces (gateway_key_id, created_at);
CREATE INDEX traces_provider_key_time ON traces (provider_key_id, created_at);
CREATE INDEX traces_user_time ON traces (user_id, created_at);
CREATE INDEX traces_model_time ON traces (model, created_at);
CREATE INDEX traces_status_time ON traces (status, created_at);
CREATE INDEX traces_request_id ON traces (request_id);

-- Prices in micro-dollars per million tokens ($2.50 per 1M tokens = 2500000). A pattern is an exact model
-- name or a prefix ending in '*'; the exact match wins, then the longest prefix.
CREATE TABLE model_pricing (
    id {{ID}},
    provider_type_id BIGINT NOT NULL REFERENCES provider_types (id),
    model_pattern TEXT NOT NULL CHECK (model_pattern <> ''),
    input_micros_per_mtok BIGINT NOT NULL DEFAULT 0 CHECK (input_micros_per_mtok >= 0),
    output_micros_per_mtok BIGINT NOT NULL DEFAULT 0 CHECK (output_micros_per_mtok >= 0),
    cache_read_micros_per_mtok BIGINT NOT NULL DEFAULT 0 CHECK (cache_read_micros_per_mtok >= 0),
    cache_write_micros_per_mtok BIGINT NOT NULL DEFAULT 0 CHECK (cache_write_micros_per_mtok >= 0),
    -- 1 for the rows seeded as examples: check them against the provider's current price list
    example INTEGER NOT NULL DEFAULT 0 CHECK (example IN (0, 1)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (provider_type_id, model_pattern)
);

-- OAuth 2.0 provider accounts: a pending PKCE authorization, then the tokens behind an 'oauth' provider key.
CREATE TABLE oauth_sessions (
    id {{ID}},
    provider_key_id BIGINT UNIQUE REFERENCES provider_keys (id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'expired', 'revoked', 'error')),
    -- hash of the authorization request's state parameter, and the encrypted PKCE verifier, while pending
    state_hash TEXT UNIQUE,
    code_verifier_ciphertext {{BLOB}},
    account TEXT,
    access_token_ciphertext {{BLOB}},
    refresh_token_ciphertext {{BLOB}},
    expires_at BIGINT,
    scope TEXT NOT NULL DEFAULT '',
    last_refresh_at BIGINT,
    last_error TEXT,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Who did what to which object, when, from where. No foreign key on the actor: entries outlive users.
CREATE TABLE audit_log (
    id {{ID}},
    created_at BIGINT NOT NULL,
    actor_user_id BIGINT,
    actor_name TEXT NOT NULL DEFAULT '',
    -- e.g. user.create, provider_key.reveal, auth.login_failed, permission.denied
    action TEXT NOT NULL,
    object_type TEXT,
    object_id TEXT,
    -- JSON object, never a secret
    details TEXT NOT NULL DEFAULT '{}',
    client_address TEXT
);
CREATE INDEX audit_log_time ON audit_log (created_at);
CREATE INDEX audit_log_actor_time ON audit_log (actor_user_id, created_at);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

-- Instance-wide values, e.g. the encrypted JWT secret (base64) and the master key check value.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Results of active health probes, for the health view; purged with the traces.
CREATE TABLE health_probes (
    id {{ID}},
    provider_key_id BIGINT NOT NULL REFERENCES provider_keys (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
    -- HTTP status, NULL when no response came
    status INTEGER,
    latency_ms INTEGER,
    error TEXT
);
CREATE INDEX health_probes_key_time ON health_probes (provider_key_id, created_at);
