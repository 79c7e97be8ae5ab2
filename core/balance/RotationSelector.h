#pragma once

#include "balance/KeySelector.h"

// `round_robin` and `weighted`: walk a fixed order with the pool's atomic cursor, skipping keys that cannot be
// taken. Round-robin is the order of the keys; weighted is nginx's smooth weighted round-robin sequence.
class RotationSelector : public KeySelector
{
public:
    enum class Order { RoundRobin, Weighted };

    explicit RotationSelector(Order order) : m_order(order) {}

protected:
    qsizetype pick(const CandidateFilter& candidates) const override;

private:
    const Order m_order;
};
