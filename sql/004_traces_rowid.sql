-- On SQLite, AUTOINCREMENT makes every insert into traces also update sqlite_sequence: a second b-tree write for each
-- proxied request, ~15% of the trace writer's work. A plain INTEGER PRIMARY KEY is the rowid: a new id still comes
-- after every id in the table, which is all trace paging (created_at, then id) needs. PostgreSQL's identity column has
-- no such cost and stays as it is. SQLite cannot change a primary key in place: the table is copied.
-- @sqlite
CREATE TABLE traces_rowid (
    id INTEGER PRIMARY KEY,
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
-- @sqlite
INSERT INTO traces_rowid SELECT * FROM traces;
-- @sqlite
DROP TABLE traces;
-- @sqlite
ALTER TABLE traces_rowid RENAME TO traces;
-- @sqlite
CREATE INDEX traces_time ON traces (created_at);
-- @sqlite
CREATE INDEX traces_gateway_key_time ON traces (gateway_key_id, created_at);
-- @sqlite
CREATE INDEX traces_provider_key_time ON traces (provider_key_id, created_at);
-- @sqlite
CREATE INDEX traces_user_time ON traces (user_id, created_at);
