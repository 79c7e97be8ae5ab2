#pragma once

// Token counts a fake provider reports, in each provider's own fields:
// OpenAI prompt_tokens / completion_tokens / prompt_tokens_details.cached_tokens (Responses: input_/output_tokens),
// Anthropic input_tokens / output_tokens / cache_read_input_tokens / cache_creation_input_tokens,
// Gemini promptTokenCount / candidatesTokenCount / cachedContentTokenCount.
struct FakeUsage
{
    int promptTokens = 12;
    int completionTokens = 34;
    int cachedTokens = 0;        // prompt tokens read from the provider's cache
    int cacheCreationTokens = 0; // Anthropic only: prompt tokens written to the cache
};
