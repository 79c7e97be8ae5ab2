#pragma once

#include "balance/KeyPool.h"

#include <algorithm>
#include <span>

// Which keys of a pool a selection may take now: not already tried by this request, healthy, within limits.
class CandidateFilter
{
public:
    CandidateFilter(const KeyPool& pool, KeyTime now, std::span<const qint64> excluded)
        : m_pool(pool), m_now(now), m_excluded(excluded)
    {}

    const KeyPool& pool() const { return m_pool; }
    KeyTime now() const { return m_now; }

    bool accepts(qsizetype index) const
    {
        const PoolKey& key = m_pool.keys()[size_t(index)];
        return !isExcluded(key.id) && key.state->isAvailable(m_now) && (!key.limits || key.limits->isAvailable(m_now));
    }

    bool isExcluded(qint64 keyId) const
    {
        return std::find(m_excluded.begin(), m_excluded.end(), keyId) != m_excluded.end();
    }

private:
    const KeyPool& m_pool;
    const KeyTime m_now;
    const std::span<const qint64> m_excluded;
};
