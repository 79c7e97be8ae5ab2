-- Which requests a provider type forwards with its pooled keys (RouteAllowlist): a JSON array of "METHOD /path"
-- patterns, NULL = every request (types an admin defined before allowlists). The built-in types serve the calls
-- their SDKs make for inference and model lists, and nothing that stores data with the provider (files, batches,
-- fine-tunes, stored completions and responses, assistants, cached contents): tenants sharing a key could read or
-- delete each other's data there.
ALTER TABLE provider_types ADD COLUMN allowed_routes TEXT;

UPDATE provider_types SET allowed_routes = '["POST /v1/chat/completions","POST /v1/completions","POST /v1/responses","POST /v1/responses/input_tokens","POST /v1/embeddings","POST /v1/moderations","GET /v1/models","GET /v1/models/*","POST /v1/audio/speech","POST /v1/audio/transcriptions","POST /v1/audio/translations","POST /v1/images/generations","POST /v1/images/edits","POST /v1/images/variations"]'
    WHERE name = 'openai' AND builtin = 1;

UPDATE provider_types SET allowed_routes = '["POST /v1/messages","POST /v1/messages/count_tokens","POST /v1/complete","GET /v1/models","GET /v1/models/*"]'
    WHERE name = 'anthropic' AND builtin = 1;

UPDATE provider_types SET allowed_routes = '["POST /v1beta/models/*:generateContent","POST /v1beta/models/*:streamGenerateContent","POST /v1beta/models/*:countTokens","POST /v1beta/models/*:embedContent","POST /v1beta/models/*:batchEmbedContents","GET /v1beta/models","GET /v1beta/models/*","POST /v1/models/*:generateContent","POST /v1/models/*:streamGenerateContent","POST /v1/models/*:countTokens","POST /v1/models/*:embedContent","POST /v1/models/*:batchEmbedContents","GET /v1/models","GET /v1/models/*"]'
    WHERE name = 'gemini' AND builtin = 1;
