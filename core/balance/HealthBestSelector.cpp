#include "balance/HealthBestSelector.h"

#include <limits>
#include <utility>

qsizetype HealthBestSelector::pick(const CandidateFilter& candidates) const
{
    constexpr double kUntried = -1;
    constexpr double kBeingTried = std::numeric_limits<double>::infinity();
    qsizetype best = -1;
    std::pair<double, int> bestRank;
    for (qsizetype i = 0; i < candidates.pool().size(); ++i) {
        if (!candidates.accepts(i))
            continue;
        const KeyState& state = *candidates.pool().keys()[size_t(i)].state;
        const int inFlight = state.inFlight();
        const std::optional<double> latency = state.latencyEwmaMs(candidates.now());
        const std::pair<double, int> rank{latency ? *latency : (inFlight == 0 ? kUntried : kBeingTried), inFlight};
        if (best < 0 || rank < bestRank) {
            best = i;
            bestRank = rank;
        }
    }
    return best;
}
