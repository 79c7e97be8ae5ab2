#pragma once

#include "balance/KeySelector.h"

// `health_best`: the available key with the lowest latency EWMA. A key without a fresh sample is tried first
// (one request at a time), so a new key, or one that was avoided for being slow, gets measured again.
class HealthBestSelector : public KeySelector
{
protected:
    qsizetype pick(const CandidateFilter& candidates) const override;
};
