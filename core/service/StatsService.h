#pragma once

#include "common/Actor.h"
#include "common/Result.h"
#include "service/ServiceContext.h"
#include "service/TraceFilter.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>

// Aggregates over the traces of a period: overview, trend per hour or day, share by model, per provider key and
// per gateway key. stats:view covers everyone's traffic, stats:own only the caller's (user_id = caller).
// Every method takes a filter whose fromMs/toMs are set (the controller defaults them to the last 24 hours).
//
// Percentiles are exact nearest-rank values (the ceil(p * n)-th smallest), read from one ORDER BY ... LIMIT pass
// so that SQLite and PostgreSQL give the same answer from the same SQL.
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

private:
    // The filter narrowed to what the actor may see, or forbidden (audited).
    Result<TraceFilter> scoped(const Actor& actor, const TraceFilter& filter, const QString& action);
    Result<QSqlQuery> exec(const QString& sql, const QVariantList& values);
    // p50, p95 and p99 of `column` over the rows of `where` (count of them given): {"p50":..,...}, nulls when none.
    Result<QJsonObject> percentiles(const QString& column, const TraceFilter::Sql& where, qint64 count);
    // Per key of `keyColumn`, joined to `keyTable` for the name (deleted keys included, flagged).
    Result<QJsonArray> perKey(const Actor& actor, const TraceFilter& filter, const QString& keyColumn,
                              const QString& keyTable, const QString& extraColumns, const QString& action);

    ServiceContext& m_context;
    TraceStatementObserver m_observer;
};
