#pragma once

#include <QtGlobal>

// A provider key's own limits as configured on it; 0 means no limit.
struct KeyQuota
{
    qint64 requestsPerMinute = 0;
    qint64 tokensPerMinute = 0;
    qint64 requestsPerDay = 0;

    bool isUnlimited() const { return requestsPerMinute <= 0 && tokensPerMinute <= 0 && requestsPerDay <= 0; }
};
