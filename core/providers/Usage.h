#pragma once

#include "common/TokenCounts.h"

#include <QString>

// Model and token counts of one response.
struct Usage
{
    QString model;
    TokenCounts tokens;
    bool sawUsage = false; // any token count was found
};
