#pragma once

#include "balance/KeySelector.h"

// `smart`: of two keys drawn at random among the available ones, the one with the lower expected cost:
// latency EWMA times (in-flight + 1), raised by the recent error rate. Two random choices instead of the global
// best keep one fast key from being stampeded by every worker at once.
class SmartSelector : public KeySelector
{
protected:
    qsizetype pick(const CandidateFilter& candidates) const override;
};
