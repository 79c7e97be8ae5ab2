#pragma once

#include <QSet>
#include <QString>

#include <map>

struct TraceRecord;

// The model names the statistics rollups keep apart. The model of a failed request is whatever its client named (a
// provider that refuses a request names no model), so a client sending a new made-up name with each request would
// add rows to the rollups for every one, and the trace writer would spend most of its time on them
// (BenchTraceWriter --made-up-models). In each hour at most kNamesPerHour names are kept apart, and of those at most
// kNamesFromFailuresPerHour may first appear on a failed request: made-up names cannot crowd out the models that
// answer. A name kept apart keeps its rows for the hour; the traces of the others that hour roll up without a model,
// as those of requests refused before a model was known do. The traces keep every name.
//
// Per writer: after a restart, and on each instance sharing PostgreSQL, the counts start again, so an hour holds at
// most that many names per instance and start. On the trace writer's thread only.
class RollupModels
{
public:
    static constexpr int kNamesPerHour = 500;
    static constexpr int kNamesFromFailuresPerHour = 100;

    // The model `trace` is rolled up under: its own, or a null string when its hour keeps no more names apart.
    QString nameFor(const TraceRecord& trace);

private:
    struct Hour
    {
        QSet<QString> names;
        int fromFailures = 0; // of the names, those first seen on a failed request
    };

    // The last few hours a trace fell in, by the hour's first millisecond: a trace's hour is when its request began,
    // and a long stream ends hours later. An hour dropped to make room starts counting again.
    static constexpr int kHoursKept = 4;
    std::map<qint64, Hour> m_hours;
};
