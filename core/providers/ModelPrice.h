#pragma once

#include <QString>

#include <optional>

// One row of model_pricing. Money is integer micro-dollars (1 USD = 1'000'000): prices are micro-dollars per
// million tokens, which is exact for any price with up to six decimals in dollars per million ($0.075/M = 75'000).
struct ModelPrice
{
    QString provider;     // provider type name
    QString modelPattern; // exact model name, or with '*' matching any run of characters ("gpt-4o-mini*")
    qint64 inputPerMillion = 0;
    qint64 outputPerMillion = 0;
    std::optional<qint64> cacheReadPerMillion;  // unset: cached input costs the input price
    std::optional<qint64> cacheWritePerMillion; // unset: cache writes cost the input price
};
