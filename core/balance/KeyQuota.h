#pragma once

#include "cache/SharedLimits.h"

#include <QtGlobal>

// A provider key's own limits as configured on it; 0 means no limit.
struct KeyQuota
{
    qint64 requestsPerMinute = 0;
    qint64 tokensPerMinute = 0;
    qint64 requestsPerDay = 0;

    bool isUnlimited() const { return requestsPerMinute <= 0 && tokensPerMinute <= 0 && requestsPerDay <= 0; }

    // The same limits as Redis counts them for every instance, named after their key (owner "p12"): what one request
    // takes. Tokens are only checked (units 0), as KeyLimits::tryAcquire() does, and charged once a response ends.
    QList<SharedLimits::Limit> shared(const QByteArray& owner) const
    {
        QList<SharedLimits::Limit> limits;
        if (requestsPerMinute > 0)
            limits.append({owner + ":rpm", 60'000, requestsPerMinute, 1});
        if (tokensPerMinute > 0)
            limits.append({owner + ":tpm", 60'000, tokensPerMinute, 0});
        if (requestsPerDay > 0)
            limits.append({owner + ":rpd", 86'400'000, requestsPerDay, 1});
        return limits;
    }
};
