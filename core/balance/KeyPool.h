#pragma once

#include "balance/KeyLimits.h"
#include "health/KeyState.h"

#include <atomic>
#include <memory>
#include <span>
#include <vector>

// One provider key as a pool offers it to the selectors. The state and limits outlive routing snapshots, so
// the snapshot builder reuses them for the same key id.
struct PoolKey
{
    qint64 id = 0;
    int weight = 1;                          // for `weighted`; clamped to 1..KeyPool::kMaxWeight
    std::shared_ptr<KeyState> state;         // never null
    std::shared_ptr<KeyLimits> limits;       // null: the key has no limits of its own
    QList<SharedLimits::Limit> sharedLimits; // the same limits as every instance counts them in Redis
};

// The provider keys serving one gateway key, immutable once built, plus the rotation cursors its selectors
// advance (mutable, atomic: the only per-pool state, reset when a new snapshot replaces the pool).
class KeyPool
{
public:
    static constexpr int kMaxWeight = 1000;

    explicit KeyPool(std::vector<PoolKey> keys);

    std::span<const PoolKey> keys() const { return m_keys; }
    qsizetype size() const { return qsizetype(m_keys.size()); }
    bool isEmpty() const { return m_keys.empty(); }

    // One period of nginx's smooth weighted round-robin over all keys, as key indexes.
    std::span<const quint32> weightedSequence() const { return m_weightedSequence; }

    std::atomic<quint64>& roundRobinCursor() const { return m_roundRobinCursor; }
    std::atomic<quint64>& weightedCursor() const { return m_weightedCursor; }

private:
    std::vector<PoolKey> m_keys;
    std::vector<quint32> m_weightedSequence;
    // Each on its own cache line: every selection writes one of them.
    alignas(64) mutable std::atomic<quint64> m_roundRobinCursor{0};
    alignas(64) mutable std::atomic<quint64> m_weightedCursor{0};
};
