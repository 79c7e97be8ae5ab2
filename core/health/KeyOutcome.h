#pragma once

#include <QString>

#include <utility>

// What happened to one request (or probe) sent with a provider key, as the proxy classifies it.
struct KeyOutcome
{
    enum class Kind {
        Success,
        ConnectError,
        Timeout,
        ServerError,   // 5xx
        RateLimited,   // 429: cools the key down
        AuthRejected,  // 401/403: to a probe, the key is invalid; to a request, it may be the request's fault
        ClientError,   // other 4xx: the request's fault, not the key's
        ClientAborted, // the client went away: not the key's fault
        NotSent,       // the request never went to the key (its shared limit was spent by another instance)
    };

    Kind kind = Kind::Success;
    qint64 latencyMs = 0;    // response time, or time to first byte for streams; used on success
    qint64 retryAfterMs = 0; // for RateLimited: from Retry-After or the provider's reset header; 0 = unknown
    QString detail;          // error text for the admin view; never a secret
    bool probe = false;      // an active health probe: not counted in flight, and a success restores the key

    static KeyOutcome success(qint64 latencyMs) { return KeyOutcome{Kind::Success, latencyMs, 0, QString(), false}; }
    static KeyOutcome error(Kind kind, QString detail = {}) { return KeyOutcome{kind, 0, 0, std::move(detail), false}; }
    static KeyOutcome rateLimited(qint64 retryAfterMs, QString detail = {})
    {
        return KeyOutcome{Kind::RateLimited, 0, retryAfterMs, std::move(detail), false};
    }
    // An answer with this HTTP status: 429 rate limited (for retryAfterMs), 401/403 refused, 5xx a server error,
    // another 4xx the request's fault, anything else a success (in latencyMs). The one classification of the proxy
    // and the prober.
    static KeyOutcome fromStatus(int status, qint64 latencyMs, qint64 retryAfterMs, QString detail)
    {
        if (status == 429)
            return rateLimited(retryAfterMs, std::move(detail));
        if (status == 401 || status == 403)
            return error(Kind::AuthRejected, std::move(detail));
        if (status >= 500)
            return error(Kind::ServerError, std::move(detail));
        if (status >= 400)
            return error(Kind::ClientError, std::move(detail));
        return success(latencyMs);
    }
    KeyOutcome asProbe() const
    {
        KeyOutcome outcome = *this;
        outcome.probe = true;
        return outcome;
    }
};
