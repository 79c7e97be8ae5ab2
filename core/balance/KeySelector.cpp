#include "balance/KeySelector.h"

#include "balance/HealthBestSelector.h"
#include "balance/RotationSelector.h"
#include "balance/SmartSelector.h"

const KeySelector* KeySelector::forStrategy(QStringView name)
{
    static const RotationSelector roundRobin(RotationSelector::Order::RoundRobin);
    static const RotationSelector weighted(RotationSelector::Order::Weighted);
    static const HealthBestSelector healthBest;
    static const SmartSelector smart;
    if (name == u"round_robin")
        return &roundRobin;
    if (name == u"weighted")
        return &weighted;
    if (name == u"health_best")
        return &healthBest;
    if (name == u"smart")
        return &smart;
    return nullptr;
}

Selection KeySelector::select(const KeyPool& pool, KeyTime now, std::span<const qint64> excluded) const
{
    const CandidateFilter candidates(pool, now, excluded);
    // A pick can lose its last limit slot to another worker between the check and the reservation; the next
    // pick then no longer accepts it, so a few rounds settle it.
    for (qsizetype attempt = 0; attempt <= pool.size(); ++attempt) {
        const qsizetype index = pick(candidates);
        if (index < 0)
            break;
        const PoolKey& key = pool.keys()[size_t(index)];
        if (key.limits && !key.limits->tryAcquire(now))
            continue;
        key.state->begin();
        return Selection{&key, std::nullopt};
    }
    return none(candidates);
}

Selection KeySelector::none(const CandidateFilter& candidates)
{
    const KeyTime now = candidates.now();
    std::optional<KeyTime> earliest;
    for (const PoolKey& key : candidates.pool().keys()) {
        if (candidates.isExcluded(key.id))
            continue;
        std::optional<KeyTime> at = key.state->availableAt(now);
        if (!at)
            continue;
        if (key.limits)
            at = std::max(*at, key.limits->availableAt(now));
        if (!earliest || *at < *earliest)
            earliest = at;
    }
    if (!earliest)
        return Selection{};
    // At least 1 ms: a key that is free again by now lost a race, and the caller must not spin on 0.
    return Selection{nullptr, std::max<qint64>(1, KeyClockTime::msUntil(now, *earliest))};
}
