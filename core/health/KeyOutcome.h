#pragma once

#include <QString>

// What happened to one request (or probe) sent with a provider key, as the proxy classifies it.
struct KeyOutcome
{
    enum class Kind {
        Success,
        ConnectError,
        Timeout,
        ServerError,   // 5xx
        RateLimited,   // 429: cools the key down
        AuthRejected,  // 401/403: the key is invalid
        ClientError,   // other 4xx: the request's fault, not the key's
        ClientAborted, // the client went away: not the key's fault
    };

    Kind kind = Kind::Success;
    qint64 latencyMs = 0;    // response time, or time to first byte for streams; used on success
    qint64 retryAfterMs = 0; // for RateLimited: from Retry-After or the provider's reset header; 0 = unknown
    QString detail;          // error text for the admin view; never a secret
    bool probe = false;      // an active health probe: not counted in flight, and a success restores the key
};
