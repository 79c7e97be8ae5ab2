#include "storage/RollupModels.h"

#include "common/Durations.h"
#include "storage/TraceRecord.h"

#include <iterator>

QString RollupModels::nameFor(const TraceRecord& trace)
{
    if (trace.model.isEmpty())
        return {};
    const auto [at, added] = m_hours.try_emplace(trace.createdAtMs - trace.createdAtMs % kHourMs);
    if (added && m_hours.size() > kHoursKept) // the oldest other hour goes
        m_hours.erase(at == m_hours.begin() ? std::next(at) : m_hours.begin());
    Hour& hour = at->second;
    if (hour.names.contains(trace.model))
        return trace.model;
    if (hour.names.size() >= kNamesPerHour || (!trace.success && hour.fromFailures >= kNamesFromFailuresPerHour))
        return {};
    if (!trace.success)
        ++hour.fromFailures;
    hour.names.insert(trace.model);
    return trace.model;
}
