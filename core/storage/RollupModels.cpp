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
    // A copy of its own: the trace's text is a view of memory the writer frees after the batch (TraceWriter::Node).
    hour.names.insert(QString(trace.model.constData(), trace.model.size()));
    return trace.model;
}
