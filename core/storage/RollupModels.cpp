#include "storage/RollupModels.h"

#include "common/Durations.h"
#include "storage/TraceRecord.h"

#include <iterator>

const QString RollupModels::kOther = QStringLiteral("(other)");

QString RollupModels::nameFor(const TraceRecord& trace)
{
    if (trace.model.isEmpty())
        return trace.model; // no model known: the request failed before one was
    const auto [hour, added] = m_hours.try_emplace(trace.createdAtMs - trace.createdAtMs % kHourMs);
    if (added && m_hours.size() > kHoursKept) // the oldest other hour goes
        m_hours.erase(hour == m_hours.begin() ? std::next(hour) : m_hours.begin());
    QSet<QString>& names = hour->second;
    if (names.contains(trace.model))
        return trace.model;
    if (names.size() >= kNamesPerHour)
        return kOther;
    names.insert(trace.model);
    return trace.model;
}
