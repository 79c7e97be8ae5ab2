#pragma once

#include <QSet>
#include <QString>

#include <map>

struct TraceRecord;

// The model names the statistics rollups keep apart: at most kNamesPerHour in each hour, the traces of any other
// model that hour rolled up as kOther. The model is whatever the client's request named when the provider's answer
// names none (a refusal), so without a bound a client sending a new made-up name with every request would add rows
// to the rollups for each one, and the trace writer would spend most of its time on them (BenchTraceWriter
// --made-up-models). A name keeps its rows once it has them; the traces keep every name as it came.
//
// Per writer: after a restart, and on each instance sharing PostgreSQL, the count starts again, so an hour holds at
// most kNamesPerHour names per instance and start. On the trace writer's thread only.
class RollupModels
{
public:
    static constexpr int kNamesPerHour = 500;
    static const QString kOther; // "(other)"

    // The model `trace` is rolled up under: its own, or kOther when its hour has its fill of other names.
    QString nameFor(const TraceRecord& trace);

private:
    // The names of the last few hours a trace fell in, by the hour's first millisecond: a trace's hour is when its
    // request began, and a long stream ends hours later. An hour dropped to make room starts counting again.
    static constexpr int kHoursKept = 4;
    std::map<qint64, QSet<QString>> m_hours;
};
