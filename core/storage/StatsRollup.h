#pragma once

#include "common/Result.h"
#include "storage/TraceRecord.h"

#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <array>
#include <functional>
#include <map>
#include <tuple>

// Traffic summed per minute and per hour (tables stats_minute and stats_hour, sql/013_stats_rollups.sql), added up
// from a batch of traces and stored by the trace writer in the same transaction as the traces, so the statistics
// agree exactly with the traces they summarize and read a few rows per hour instead of every trace.
//
// Each trace counts in five breakdowns: the whole traffic, per user and gateway key, per provider key, per model,
// and per all four together. A question is answered from the smallest breakdown that holds the columns it filters or
// groups by (StatsService). Within a breakdown rows are also split by error kind ('' on success).
class StatsRollup
{
public:
    enum Breakdown { Total = 0, GatewayKey = 1, ProviderKey = 2, Model = 3, Full = 4 };

    // Upper bounds (ms) of the latency histograms, kept cumulative: column duration_le_N counts the requests that
    // took at most N ms, ttfb_le_N the streams whose first byte reached the client within N ms.
    static constexpr std::array<int, 27> kLatencyBoundsMs{
        5,    10,   25,   50,   75,   100,   150,   200,   300,   400,   500,   750,    1000,  1500,
        2000, 3000, 4000, 5000, 7500, 10000, 15000, 20000, 30000, 45000, 60000, 120000, 300000};
    // The model as traces and rollups store it: real names are far shorter, and a key of the rollup tables must stay
    // within PostgreSQL's index entry limit whatever a client sends.
    static constexpr qsizetype kMaxModelChars = 200;

    static const QStringList& keyColumns();       // breakdown, bucket_start, ..., error_kind
    static const QStringList& sumColumns();       // summed when rows merge: requests, ..., ttfb_count
    static const QStringList& maxColumns();       // duration_ms_max, ttfb_ms_max
    static const QStringList& histogramColumns(); // duration_le_*, then ttfb_le_*

    // breakdown, bucket start, user, gateway key, provider key, model, error kind
    using Key = std::tuple<int, qint64, qint64, qint64, qint64, QString, QString>;
    // The sums, maxima and histogram counts, in the order of their columns.
    using Values = std::array<qint64, 10 + 2 + 2 * kLatencyBoundsMs.size()>;

    static QStringList columns(); // the key columns, then those of the values, as a row of the tables has them

    // INSERT into `table` of what `rows` yields (a VALUES list or a SELECT, of columns()) that adds to a row already
    // there: sums and histogram counts add up, maxima keep the larger.
    static QString upsertStatement(const QString& table, const QString& rows);

    StatsRollup() = default;
    StatsRollup(const StatsRollup&) = delete; // a copy would keep pointers into the other's rows
    StatsRollup& operator=(const StatsRollup&) = delete;

    // Adds the trace, rolled up under `model` (RollupModels::nameFor: its own model, or none).
    void add(const TraceRecord& trace, const QString& model);
    // The rows of this batch, minutes then hours, each in key order: one order on every instance, so that concurrent
    // writers sharing a PostgreSQL database lock rows in the same order and cannot deadlock.
    void forEach(const std::function<void(const QString& table, const Key& key, const Values& values)>& visit) const;
    // Adds this batch to the stored rows through QtSql, on PostgreSQL.
    Result<void> write(const QSqlDatabase& connection) const;

private:
    // One table's rows of the batch, and those the last trace added to: when the next trace has the same bucket, keys,
    // model and outcome, as the traces of one busy client do, it adds to the same five rows without looking them up
    // again (five lookups in a map with text in its keys were an eighth of the writer's instructions with one client,
    // run-instruction-count.sh). The pointers point into `rows`, which never moves an element.
    struct Table
    {
        std::map<Key, Values> rows;
        Key last;                                 // the last trace's Full key
        std::array<Values*, Full + 1> lastRows{}; // its row in each breakdown, in Breakdown order
    };

    static void addTo(Table& table, qint64 bucketStart, const TraceRecord& trace, const QString& model);

    Table m_minutes;
    Table m_hours;
};
