#pragma once

#include "http/HttpHeaders.h"

// When a rate-limited provider key may be used again, from the headers of its 429: Retry-After in seconds or as an
// HTTP date, else the providers' own reset headers (OpenAI's x-ratelimit-reset-requests "6m0s", "1.5s", "250ms";
// Anthropic's anthropic-ratelimit-requests-reset, an RFC 3339 time). Milliseconds from now; 0 = unknown.
namespace RateLimitReset {
qint64 fromHeaders(const HttpHeaders& headers);
}
