-- Provider types an admin created before a type's apiFormat implied its usage, model and stream paths had none:
-- they recorded 0 tokens and $0, so budgets never triggered. They take their format's paths, as new types do
-- (ApiFormat::typeDefaults). A type whose paths were set keeps them.

UPDATE provider_types SET usage_paths = '{"prompt_tokens":["usage.prompt_tokens","usage.input_tokens"],"completion_tokens":["usage.completion_tokens","usage.output_tokens"],"total_tokens":["usage.total_tokens"],"cache_read_tokens":["usage.prompt_tokens_details.cached_tokens","usage.input_tokens_details.cached_tokens"],"cache_write_tokens":[]}'
    WHERE api_format = 'openai' AND usage_paths = '{}';

UPDATE provider_types SET model_paths = '{"response":["model"],"request":["model"]}'
    WHERE api_format = 'openai' AND model_paths = '{}';

UPDATE provider_types SET stream_event_roots = '{"response.created":"response","response.completed":"response","response.incomplete":"response","response.failed":"response"}'
    WHERE api_format = 'openai' AND stream_event_roots = '{}';

UPDATE provider_types SET usage_paths = '{"prompt_tokens":["usage.input_tokens"],"completion_tokens":["usage.output_tokens"],"total_tokens":[],"cache_read_tokens":["usage.cache_read_input_tokens"],"cache_write_tokens":["usage.cache_creation_input_tokens"]}'
    WHERE api_format = 'anthropic' AND usage_paths = '{}';

UPDATE provider_types SET model_paths = '{"response":["model"],"request":["model"]}'
    WHERE api_format = 'anthropic' AND model_paths = '{}';

UPDATE provider_types SET stream_event_roots = '{"message_start":"message"}'
    WHERE api_format = 'anthropic' AND stream_event_roots = '{}';

UPDATE provider_types SET usage_paths = '{"prompt_tokens":["usageMetadata.promptTokenCount"],"completion_tokens":["usageMetadata.candidatesTokenCount"],"total_tokens":["usageMetadata.totalTokenCount"],"cache_read_tokens":["usageMetadata.cachedContentTokenCount"],"cache_write_tokens":[]}'
    WHERE api_format = 'gemini' AND usage_paths = '{}';

UPDATE provider_types SET model_paths = '{"response":["modelVersion"],"url":"models/{model}:"}'
    WHERE api_format = 'gemini' AND model_paths = '{}';
