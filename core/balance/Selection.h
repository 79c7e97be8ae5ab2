#pragma once

#include "balance/KeyPool.h"

#include <optional>

// The key a selector chose for one request attempt, or none with when to try again.
struct Selection
{
    const PoolKey* key = nullptr;       // points into the pool, which the caller's routing snapshot keeps alive
    std::optional<qint64> retryAfterMs; // with no key: ms until the earliest key frees up; none if no key will
                                        // by itself (all invalid or already tried)

    explicit operator bool() const { return key != nullptr; }
};
