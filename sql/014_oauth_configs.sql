-- How to connect a provider account with OAuth 2.0 (authorization code with PKCE, RFC 6749 and 7636), and how the
-- account's access token is sent upstream. Data, not code: admins add and edit them (providers:manage).
CREATE TABLE oauth_configs (
    id {{ID}},
    provider_type_id BIGINT NOT NULL REFERENCES provider_types (id),
    name TEXT NOT NULL CHECK (name <> ''),
    authorize_url TEXT NOT NULL,
    token_url TEXT NOT NULL,
    -- RFC 7009 revocation endpoint, NULL when the provider has none
    revoke_url TEXT,
    client_id TEXT NOT NULL,
    -- AES-256-GCM under "oauth_config:<id>:client_secret"; NULL for a public client (PKCE alone)
    client_secret_ciphertext {{BLOB}},
    -- space-separated, as the scope parameter takes them
    scopes TEXT NOT NULL DEFAULT '',
    redirect_uri TEXT NOT NULL,
    -- JSON objects of further parameters for the authorization URL and for the token requests
    authorize_params TEXT NOT NULL DEFAULT '{}',
    token_params TEXT NOT NULL DEFAULT '{}',
    -- the header that carries the access token upstream, and its value with {token} marking the token
    auth_header TEXT NOT NULL DEFAULT 'Authorization',
    auth_template TEXT NOT NULL DEFAULT 'Bearer {token}',
    -- JSON object of headers the provider requires on requests made with OAuth tokens
    extra_headers TEXT NOT NULL DEFAULT '{}',
    enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    -- what an admin should know before using it (why a preset ships disabled)
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE UNIQUE INDEX oauth_configs_name_live ON oauth_configs (name) WHERE deleted_at IS NULL;

-- A session starts pending at the authorization (state_hash, sealed verifier) and becomes the tokens behind an
-- 'oauth' provider key at the exchange. The configuration it follows, and the name its provider key will get.
ALTER TABLE oauth_sessions ADD COLUMN oauth_config_id BIGINT REFERENCES oauth_configs (id);
ALTER TABLE oauth_sessions ADD COLUMN key_name TEXT;
-- While an instance refreshes the session's tokens: until when the others leave it to that one (a refresh token
-- used twice may revoke the account at providers that rotate them).
ALTER TABLE oauth_sessions ADD COLUMN refresh_lease_until BIGINT;
