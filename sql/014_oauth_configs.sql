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

-- Presets for the subscription command-line tools' sign-in flows, disabled: each note says what was confirmed and what
-- is missing before it can serve. A client secret cannot be sealed here (no master key): an admin enters it.
INSERT INTO oauth_configs (provider_type_id, name, authorize_url, token_url, revoke_url, client_id, scopes,
    redirect_uri, authorize_params, token_params, auth_header, auth_template, extra_headers, enabled, note, created_at,
    updated_at)
SELECT id, 'OpenAI Codex CLI (ChatGPT sign-in)', 'https://auth.openai.com/oauth/authorize',
    'https://auth.openai.com/oauth/token', NULL, 'app_EMoamEEZ73f0CkXaXp7hrann',
    'openid profile email offline_access', 'http://localhost:1455/auth/callback',
    '{"id_token_add_organizations":"true","codex_cli_simplified_flow":"true"}', '{}', 'Authorization',
    'Bearer {token}', '{}', 0,
    'Endpoints, redirect URI, scopes and parameters as in openai/codex (codex-rs/login/src/server.rs); the client id as '
    || 'the Codex CLI uses it. Missing: these tokens serve the ChatGPT backend (chatgpt.com/backend-api/codex), not '
    || 'api.openai.com, and its requests carry the account''s ChatGPT-Account-Id (a claim of the id_token), which '
    || 'Gatehouse does not read yet.',
    {{NOW}}, {{NOW}}
FROM provider_types WHERE name = 'openai' AND builtin = 1;

INSERT INTO oauth_configs (provider_type_id, name, authorize_url, token_url, revoke_url, client_id, scopes,
    redirect_uri, authorize_params, token_params, auth_header, auth_template, extra_headers, enabled, note, created_at,
    updated_at)
SELECT id, 'Gemini CLI (Google sign-in)', 'https://accounts.google.com/o/oauth2/v2/auth',
    'https://oauth2.googleapis.com/token', 'https://oauth2.googleapis.com/revoke',
    '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com',
    'https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email '
    || 'https://www.googleapis.com/auth/userinfo.profile',
    'https://codeassist.google.com/authcode', '{"access_type":"offline"}', '{}', 'Authorization', 'Bearer {token}',
    '{}', 0,
    'Client id, scopes, redirect URI and parameters as in google-gemini/gemini-cli '
    || '(packages/core/src/code_assist/oauth2.ts), whose installed-app client secret, published there, must be entered '
    || 'as clientSecret. Missing: these tokens serve the Code Assist API (cloudcode-pa.googleapis.com), whose requests '
    || 'differ from the Gemini API this provider type speaks.',
    {{NOW}}, {{NOW}}
FROM provider_types WHERE name = 'gemini' AND builtin = 1;

INSERT INTO oauth_configs (provider_type_id, name, authorize_url, token_url, revoke_url, client_id, scopes,
    redirect_uri, authorize_params, token_params, auth_header, auth_template, extra_headers, enabled, note, created_at,
    updated_at)
SELECT id, 'Claude Code (Claude sign-in)', 'https://claude.ai/oauth/authorize',
    'https://console.anthropic.com/v1/oauth/token', NULL, '9d1c250a-e61b-44d9-88ed-5944d1962f5e',
    'org:create_api_key user:profile user:inference', 'https://console.anthropic.com/oauth/code/callback',
    '{"code":"true"}', '{}', 'Authorization', 'Bearer {token}', '{"anthropic-beta":"oauth-2025-04-20"}', 0,
    'Not confirmed: Claude Code publishes no source for its sign-in, and these values come from third-party tools. '
    || 'Its token endpoint is reported to want JSON bodies, where Gatehouse sends form-encoded ones (RFC 6749).',
    {{NOW}}, {{NOW}}
FROM provider_types WHERE name = 'anthropic' AND builtin = 1;
