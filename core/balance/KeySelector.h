#pragma once

#include "balance/CandidateFilter.h"
#include "balance/Selection.h"

#include <QStringView>

// A key selection strategy. Selectors are stateless and shared; per-pool state lives in the KeyPool.
class KeySelector
{
public:
    virtual ~KeySelector() = default;

    // The shared selector for a strategy name (`round_robin`, `weighted`, `health_best`, `smart`), or null.
    static const KeySelector* forStrategy(QStringView name);

    // Chooses an available key not in `excluded` (the keys this request already tried), reserves a request
    // against its limits and counts it in flight. Lock-free. Every returned key must get exactly one
    // key->state->report() when its request ends.
    Selection select(const KeyPool& pool, KeyTime now, std::span<const qint64> excluded = {}) const;

protected:
    // The strategy's choice among the keys `candidates` accepts; -1 when it accepts none.
    virtual qsizetype pick(const CandidateFilter& candidates) const = 0;

private:
    static Selection none(const CandidateFilter& candidates);
};
