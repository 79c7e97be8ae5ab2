#include "balance/KeyPool.h"

#include <algorithm>
#include <numeric>

namespace {

// nginx's smooth weighted round-robin: each step every key gains its weight, the richest is picked and pays
// the total. With fixed weights the picks repeat with a period of the weights' sum (each key picked `weight`
// times, every balance back at zero), so one period computed here serves every later selection.
std::vector<quint32> smoothWeightedSequence(const std::vector<int>& weights)
{
    const int total = std::accumulate(weights.begin(), weights.end(), 0);
    std::vector<qint64> current(weights.size(), 0);
    std::vector<quint32> sequence;
    sequence.reserve(size_t(total));
    for (int step = 0; step < total; ++step) {
        size_t best = 0;
        for (size_t i = 0; i < weights.size(); ++i) {
            current[i] += weights[i];
            if (current[i] > current[best])
                best = i;
        }
        current[best] -= total;
        sequence.push_back(quint32(best));
    }
    return sequence;
}

} // namespace

KeyPool::KeyPool(std::vector<PoolKey> keys) : m_keys(std::move(keys))
{
    std::vector<int> weights;
    int divisor = 0;
    for (PoolKey& key : m_keys) {
        key.weight = std::clamp(key.weight, 1, kMaxWeight);
        weights.push_back(key.weight);
        divisor = std::gcd(divisor, key.weight);
    }
    for (int& weight : weights)
        weight /= divisor;
    m_weightedSequence = smoothWeightedSequence(weights);
}
