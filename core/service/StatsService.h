#pragma once

#include "common/Actor.h"
#include "common/Result.h"
#include "service/ServiceContext.h"
#include "service/TraceFilter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>

// Aggregates over the traffic of a period: overview, trend per hour or day, share by model, per provider key and
// per gateway key. stats:view covers everyone's traffic, stats:own only the caller's (user_id = caller).
// Every method takes a filter whose fromMs/toMs are set (the controller defaults them to the last 24 hours).
//
// Read from the rollups the trace writer keeps (StatsRollup), never from the traces: whole hours from the hourly
// rows, the minutes at either end from the minute rows. A period therefore covers whole minutes: both ends are
// rounded up to the next minute (the answer's period says which), so "the last 24 hours" includes the current minute.
// Counts and sums are exact. Percentiles are nearest-rank (the ceil(p * n)-th smallest) resolved to the histogram:
// the upper bound of the bucket holding that rank, or the largest value seen when that is smaller.
class StatsService
{
public:
    enum class Bucket { Hour, Day };
    static constexpr qint64 kMaxTrendBuckets = 2000;

    explicit StatsService(ServiceContext& context) : m_context(context) {}

    Result<QJsonObject> overview(const Actor& actor, const TraceFilter& filter);
    Result<QJsonArray> trend(const Actor& actor, const TraceFilter& filter, Bucket bucket);
    Result<QJsonArray> models(const Actor& actor, const TraceFilter& filter);
    Result<QJsonArray> providerKeys(const Actor& actor, const TraceFilter& filter);
    Result<QJsonArray> gatewayKeys(const Actor& actor, const TraceFilter& filter);

    void setStatementObserver(TraceStatementObserver observer) { m_observer = std::move(observer); }

    // The period the statistics of `filter` cover: both ends moved up to the next whole minute.
    static TraceFilter wholeMinutes(TraceFilter filter);

private:
    // The column a listing groups by, which the rollup rows read must hold.
    enum class GroupBy { Nothing, GatewayKey, ProviderKey, Model };
    struct Source
    {
        QString sql; // "(SELECT ... UNION ALL ...) r"
        QVariantList values;
    };

    // The filter narrowed to what the actor may see with its period rounded to whole minutes, or forbidden (audited).
    Result<TraceFilter> scoped(const Actor& actor, const TraceFilter& filter, const QString& action);
    // `columns` of the rollup rows of the filter's period and keys, from the smallest breakdown holding `groupBy`.
    static Source source(const TraceFilter& filter, GroupBy groupBy, const QStringList& columns);
    Result<QSqlQuery> exec(const QString& sql, const QVariantList& values);
    // Per key of `keyColumn`, joined to `keyTable` for the name (deleted keys included, flagged).
    Result<QJsonArray> perKey(const Actor& actor, const TraceFilter& filter, GroupBy groupBy, const QString& keyTable,
                              const QString& extraColumns, const QString& action);

    ServiceContext& m_context;
    TraceStatementObserver m_observer;
};
