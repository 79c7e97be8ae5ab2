#include "balance/RotationSelector.h"

qsizetype RotationSelector::pick(const CandidateFilter& candidates) const
{
    const KeyPool& pool = candidates.pool();
    if (pool.isEmpty())
        return -1;
    const bool weighted = m_order == Order::Weighted;
    const std::span<const quint32> sequence = pool.weightedSequence();
    const quint64 length = weighted ? sequence.size() : quint64(pool.size());
    std::atomic<quint64>& cursor = weighted ? pool.weightedCursor() : pool.roundRobinCursor();
    const auto keyAt = [&](quint64 position) {
        return weighted ? qsizetype(sequence[position % length]) : qsizetype(position % length);
    };

    // A weighted sequence names a key many times; ask about each of the first 64 keys only once.
    quint64 asked = 0;
    quint64 accepted = 0;
    const auto accepts = [&](qsizetype index) {
        if (index >= 64)
            return candidates.accepts(index);
        const quint64 bit = quint64(1) << index;
        if (!(asked & bit)) {
            asked |= bit;
            if (candidates.accepts(index))
                accepted |= bit;
        }
        return (accepted & bit) != 0;
    };

    // The cursor moves past the skipped entries too (one CAS), so the keys that remain are served in exactly
    // the rotation's order instead of the key after a skipped one getting its turns as well.
    quint64 position = cursor.load(std::memory_order_relaxed);
    for (;;) {
        quint64 step = 0;
        while (step < length && !accepts(keyAt(position + step)))
            ++step;
        if (step == length)
            return -1;
        if (cursor.compare_exchange_weak(position, position + step + 1, std::memory_order_relaxed))
            return keyAt(position + step);
    }
}
