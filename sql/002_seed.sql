-- Built-in roles (must match Permissions::builtinRoles() in core/auth/Permissions.h) and provider types.

INSERT INTO roles (name, description, permissions, builtin, created_at, updated_at) VALUES
    ('super_admin', 'Everything, including managing other administrators', '["super_admin"]', 1, {{NOW}}, {{NOW}}),
    ('admin', 'Everything except super-admin rights',
     '["proxy:*","users:view","users:manage","provider_keys:view","provider_keys:manage","gateway_keys:own","gateway_keys:view","gateway_keys:manage","stats:own","stats:view","stats:manage","logs:own","logs:view","logs:manage","health:view","providers:manage","server:manage"]',
     1, {{NOW}}, {{NOW}}),
    ('user_admin', 'Manages users; views everything else',
     '["users:manage","users:view","provider_keys:view","gateway_keys:view","stats:view","logs:view","health:view"]',
     1, {{NOW}}, {{NOW}}),
    ('user', 'Uses the proxy; manages own gateway keys, sees own statistics and logs',
     '["proxy:*","gateway_keys:own","stats:own","logs:own"]', 1, {{NOW}}, {{NOW}}),
    ('read_only', 'Views everything, changes nothing',
     '["users:view","provider_keys:view","gateway_keys:view","stats:view","logs:view","health:view"]',
     1, {{NOW}}, {{NOW}}),
    ('api_only', 'Uses the proxy only', '["proxy:*"]', 1, {{NOW}}, {{NOW}});

-- OpenAI: chat completions (usage.prompt_tokens...) and responses (usage.input_tokens...); in chat streams the
-- final chunk carries usage at the root, in responses streams the response.completed event under "response".
INSERT INTO provider_types (name, display_name, api_format, base_url, auth_header, auth_template, key_query_param,
    default_headers, usage_paths, model_paths, stream_event_roots, probe_method, probe_path, active, builtin,
    created_at, updated_at) VALUES
    ('openai', 'OpenAI', 'openai', 'https://api.openai.com', 'Authorization', 'Bearer {key}', NULL, '{}',
     '{"prompt_tokens":["usage.prompt_tokens","usage.input_tokens"],"completion_tokens":["usage.completion_tokens","usage.output_tokens"],"total_tokens":["usage.total_tokens"],"cache_read_tokens":["usage.prompt_tokens_details.cached_tokens","usage.input_tokens_details.cached_tokens"],"cache_write_tokens":[]}',
     '{"response":["model"],"request":["model"]}',
     '{"response.created":"response","response.completed":"response","response.incomplete":"response","response.failed":"response"}',
     'GET', '/v1/models', 1, 1, {{NOW}}, {{NOW}});

-- Anthropic: message_start holds the model and input usage under "message", message_delta the output usage.
INSERT INTO provider_types (name, display_name, api_format, base_url, auth_header, auth_template, key_query_param,
    default_headers, usage_paths, model_paths, stream_event_roots, probe_method, probe_path, active, builtin,
    created_at, updated_at) VALUES
    ('anthropic', 'Anthropic', 'anthropic', 'https://api.anthropic.com', 'x-api-key', '{key}', NULL,
     '{"anthropic-version":"2023-06-01"}',
     '{"prompt_tokens":["usage.input_tokens"],"completion_tokens":["usage.output_tokens"],"total_tokens":[],"cache_read_tokens":["usage.cache_read_input_tokens"],"cache_write_tokens":["usage.cache_creation_input_tokens"]}',
     '{"response":["model"],"request":["model"]}',
     '{"message_start":"message"}',
     'GET', '/v1/models', 1, 1, {{NOW}}, {{NOW}});

-- Google Gemini: every (stream) chunk carries usageMetadata and modelVersion; the model is also in the URL path
-- (models/{model}:generateContent, :streamGenerateContent). Clients may send the key as ?key=.
INSERT INTO provider_types (name, display_name, api_format, base_url, auth_header, auth_template, key_query_param,
    default_headers, usage_paths, model_paths, stream_event_roots, probe_method, probe_path, active, builtin,
    created_at, updated_at) VALUES
    ('gemini', 'Google Gemini', 'gemini', 'https://generativelanguage.googleapis.com', 'x-goog-api-key', '{key}',
     'key', '{}',
     '{"prompt_tokens":["usageMetadata.promptTokenCount"],"completion_tokens":["usageMetadata.candidatesTokenCount"],"total_tokens":["usageMetadata.totalTokenCount"],"cache_read_tokens":["usageMetadata.cachedContentTokenCount"],"cache_write_tokens":[]}',
     '{"response":["modelVersion"],"url":"models/{model}:"}',
     '{}',
     'GET', '/v1beta/models', 1, 1, {{NOW}}, {{NOW}});

-- Example prices (USD micro-dollars per million tokens) for common models, as published in 2025: verify them
-- against the providers' price lists before relying on the cost figures.
INSERT INTO model_pricing (provider_type_id, model_pattern, input_micros_per_mtok, output_micros_per_mtok,
    cache_read_micros_per_mtok, cache_write_micros_per_mtok, example, created_at, updated_at)
    SELECT id, 'gpt-4o*', 2500000, 10000000, 1250000, 0, 1, {{NOW}}, {{NOW}} FROM provider_types WHERE name = 'openai';
INSERT INTO model_pricing (provider_type_id, model_pattern, input_micros_per_mtok, output_micros_per_mtok,
    cache_read_micros_per_mtok, cache_write_micros_per_mtok, example, created_at, updated_at)
    SELECT id, 'gpt-4o-mini*', 150000, 600000, 75000, 0, 1, {{NOW}}, {{NOW}} FROM provider_types WHERE name = 'openai';
INSERT INTO model_pricing (provider_type_id, model_pattern, input_micros_per_mtok, output_micros_per_mtok,
    cache_read_micros_per_mtok, cache_write_micros_per_mtok, example, created_at, updated_at)
    SELECT id, 'gpt-4.1*', 2000000, 8000000, 500000, 0, 1, {{NOW}}, {{NOW}} FROM provider_types WHERE name = 'openai';
INSERT INTO model_pricing (provider_type_id, model_pattern, input_micros_per_mtok, output_micros_per_mtok,
    cache_read_micros_per_mtok, cache_write_micros_per_mtok, example, created_at, updated_at)
    SELECT id, 'gpt-4.1-mini*', 400000, 1600000, 100000, 0, 1, {{NOW}}, {{NOW}} FROM provider_types WHERE name = 'openai';
INSERT INTO model_pricing (provider_type_id, model_pattern, input_micros_per_mtok, output_micros_per_mtok,
    cache_read_micros_per_mtok, cache_write_micros_per_mtok, example, created_at, updated_at)
    SELECT id, 'claude-opus-4*', 15000000, 75000000, 1500000, 18750000, 1, {{NOW}}, {{NOW}}
    FROM provider_types WHERE name = 'anthropic';
INSERT INTO model_pricing (provider_type_id, model_pattern, input_micros_per_mtok, output_micros_per_mtok,
    cache_read_micros_per_mtok, cache_write_micros_per_mtok, example, created_at, updated_at)
    SELECT id, 'claude-sonnet-4*', 3000000, 15000000, 300000, 3750000, 1, {{NOW}}, {{NOW}}
    FROM provider_types WHERE name = 'anthropic';
INSERT INTO model_pricing (provider_type_id, model_pattern, input_micros_per_mtok, output_micros_per_mtok,
    cache_read_micros_per_mtok, cache_write_micros_per_mtok, example, created_at, updated_at)
    SELECT id, 'claude-3-5-haiku*', 800000, 4000000, 80000, 1000000, 1, {{NOW}}, {{NOW}}
    FROM provider_types WHERE name = 'anthropic';
INSERT INTO model_pricing (provider_type_id, model_pattern, input_micros_per_mtok, output_micros_per_mtok,
    cache_read_micros_per_mtok, cache_write_micros_per_mtok, example, created_at, updated_at)
    SELECT id, 'gemini-2.5-pro*', 1250000, 10000000, 310000, 0, 1, {{NOW}}, {{NOW}}
    FROM provider_types WHERE name = 'gemini';
INSERT INTO model_pricing (provider_type_id, model_pattern, input_micros_per_mtok, output_micros_per_mtok,
    cache_read_micros_per_mtok, cache_write_micros_per_mtok, example, created_at, updated_at)
    SELECT id, 'gemini-2.5-flash*', 300000, 2500000, 75000, 0, 1, {{NOW}}, {{NOW}}
    FROM provider_types WHERE name = 'gemini';
INSERT INTO model_pricing (provider_type_id, model_pattern, input_micros_per_mtok, output_micros_per_mtok,
    cache_read_micros_per_mtok, cache_write_micros_per_mtok, example, created_at, updated_at)
    SELECT id, 'gemini-2.0-flash*', 100000, 400000, 25000, 0, 1, {{NOW}}, {{NOW}}
    FROM provider_types WHERE name = 'gemini';
