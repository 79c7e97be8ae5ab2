#include "balance/SmartSelector.h"

#include <cmath>
#include <random>
#include <vector>

namespace {

constexpr double kErrorWeight = 4;         // a key failing half its requests costs 3x
constexpr double kUnknownBusyCostMs = 1e6; // a key without a fresh sample gets one trial at a time
// A key's latency counts less the longer it goes unmeasured, so a key that lost its draws for one slow answer
// wins one again and gets measured anew (a key 4x slower than the others: after ~14 s).
constexpr double kLatencyDecayMs = 10'000;

quint64 nextRandom()
{
    // splitmix64 per thread: cheap, and no shared state between workers.
    thread_local quint64 state = std::random_device{}() ^ (quint64(std::random_device{}()) << 32);
    quint64 z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

qsizetype randomBelow(qsizetype bound)
{
    return qsizetype(nextRandom() % quint64(bound));
}

double cost(const CandidateFilter& candidates, qsizetype index)
{
    const KeyState& state = *candidates.pool().keys()[size_t(index)].state;
    const int inFlight = state.inFlight();
    const std::optional<double> latency = state.latencyEwmaMs(candidates.now());
    if (!latency)
        return inFlight == 0 ? 0 : kUnknownBusyCostMs * inFlight;
    const double ageMs =
        std::chrono::duration<double, std::milli>(candidates.now() - state.lastLatencySampleAt()).count();
    const double decayed = *latency * std::exp(-std::max(0.0, ageMs) / kLatencyDecayMs);
    // The 1 ms floor keeps in-flight counting for a key that answers in no measurable time.
    return (decayed + 1) * (inFlight + 1) * (1 + kErrorWeight * state.errorRate());
}

qsizetype cheaper(const CandidateFilter& candidates, qsizetype a, qsizetype b)
{
    return cost(candidates, b) < cost(candidates, a) ? b : a;
}

} // namespace

qsizetype SmartSelector::pick(const CandidateFilter& candidates) const
{
    const qsizetype size = candidates.pool().size();
    if (size == 0)
        return -1;
    if (size == 1)
        return candidates.accepts(0) ? 0 : -1;

    // Usually both draws are available and that is all the work.
    const qsizetype first = randomBelow(size);
    qsizetype second = randomBelow(size - 1);
    if (second >= first)
        ++second;
    if (candidates.accepts(first) && candidates.accepts(second))
        return cheaper(candidates, first, second);

    thread_local std::vector<qsizetype> available;
    available.clear();
    for (qsizetype i = 0; i < size; ++i) {
        if (candidates.accepts(i))
            available.push_back(i);
    }
    if (available.empty())
        return -1;
    if (available.size() == 1)
        return available.front();
    const qsizetype a = randomBelow(qsizetype(available.size()));
    qsizetype b = randomBelow(qsizetype(available.size()) - 1);
    if (b >= a)
        ++b;
    return cheaper(candidates, available[size_t(a)], available[size_t(b)]);
}
