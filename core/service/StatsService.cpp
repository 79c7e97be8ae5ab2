#include "service/StatsService.h"

#include "auth/Permissions.h"
#include "common/ApiErrors.h"
#include "common/Durations.h"
#include "service/JsonValues.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>

namespace {

// Streamed requests that sent a first byte: the population of the time-to-first-byte percentiles.
const QString kStreamedWithTtfb = QStringLiteral("CASE WHEN streamed = 1 AND ttfb_ms IS NOT NULL THEN 1 ELSE 0 END");

// SUM of a BIGINT is NUMERIC on PostgreSQL and NULL over no rows on both engines: always a BIGINT here.
QString sum(const QString& expression)
{
    return QStringLiteral("CAST(COALESCE(SUM(%1), 0) AS BIGINT)").arg(expression);
}

double ratio(qint64 part, qint64 whole)
{
    return whole > 0 ? double(part) / double(whole) : 0.0;
}

QJsonValue average(qint64 total, qint64 count)
{
    return count > 0 ? QJsonValue(std::round(double(total) / double(count) * 10.0) / 10.0) : QJsonValue();
}

QJsonObject period(const TraceFilter& filter)
{
    return QJsonObject{{QStringLiteral("from"), JsonValues::time(filter.fromMs.value_or(0))},
                       {QStringLiteral("to"), JsonValues::time(filter.toMs.value_or(0))}};
}

} // namespace

Result<TraceFilter> StatsService::scoped(const Actor& actor, const TraceFilter& filter, const QString& action)
{
    TraceFilter scoped = filter;
    if (actor.has(Permissions::kStatsView))
        return scoped;
    if (actor.has(Permissions::kStatsOwn)) {
        scoped.userId = actor.userId;
        return scoped;
    }
    (void)m_context.audit.record(actor, QStringLiteral("permission.denied"), QStringLiteral("stats"), {},
                                 QJsonObject{{QStringLiteral("action"), action}});
    return ApiErrors::forbidden(QStringLiteral("viewing statistics needs the stats:view or stats:own permission"));
}

Result<QSqlQuery> StatsService::exec(const QString& sql, const QVariantList& values)
{
    if (m_observer)
        m_observer(sql, values);
    return m_context.database.exec(sql, values);
}

Result<QJsonObject> StatsService::percentiles(const QString& column, const TraceFilter::Sql& where, qint64 count)
{
    const int levels[] = {50, 95, 99};
    QJsonObject result;
    for (const int p : levels)
        result.insert(QStringLiteral("p%1").arg(p), QJsonValue());
    if (count == 0)
        return result;
    // One ordered pass up to the highest rank instead of one sorted OFFSET query per level: a third of the sorting.
    const auto rank = [count](int p) { return std::max<qint64>(1, (qint64(p) * count + 99) / 100); };
    auto rows = exec(QStringLiteral("SELECT %1 FROM traces%2 ORDER BY %1 LIMIT %3")
                         .arg(column, where.whereClause())
                         .arg(rank(levels[2])),
                     where.values);
    if (!rows)
        return rows.error();
    qint64 position = 0;
    while (rows->next()) {
        ++position;
        for (const int p : levels) {
            if (rank(p) == position)
                result.insert(QStringLiteral("p%1").arg(p), rows->value(0).toLongLong());
        }
    }
    return result;
}

Result<QJsonObject> StatsService::overview(const Actor& actor, const TraceFilter& filter)
{
    auto allowed = scoped(actor, filter, QStringLiteral("stats.overview"));
    if (!allowed)
        return allowed.error();
    const TraceFilter::Sql where = allowed->where();
    auto totals = exec(QStringLiteral("SELECT COUNT(*), %1, %2, %3, %4, %5, %6, %7, %8 FROM traces")
                               .arg(sum(QStringLiteral("success")), sum(QStringLiteral("prompt_tokens")),
                                    sum(QStringLiteral("completion_tokens")), sum(QStringLiteral("total_tokens")),
                                    sum(QStringLiteral("cache_read_tokens")), sum(QStringLiteral("cache_write_tokens")),
                                    sum(QStringLiteral("cost_micros")), sum(kStreamedWithTtfb)) +
                           where.whereClause(),
                       where.values);
    if (!totals)
        return totals.error();
    if (!totals->next())
        return Error::make(QStringLiteral("database"), QStringLiteral("the overview query returned no row"));
    const qint64 requests = totals->value(0).toLongLong();
    const qint64 successes = totals->value(1).toLongLong();
    const qint64 costMicros = totals->value(7).toLongLong();
    const qint64 streamed = totals->value(8).toLongLong();
    const QJsonObject tokens{{QStringLiteral("prompt"), totals->value(2).toLongLong()},
                             {QStringLiteral("completion"), totals->value(3).toLongLong()},
                             {QStringLiteral("total"), totals->value(4).toLongLong()},
                             {QStringLiteral("cacheRead"), totals->value(5).toLongLong()},
                             {QStringLiteral("cacheWrite"), totals->value(6).toLongLong()}};

    TraceFilter::Sql failed = where;
    failed.add(QStringLiteral("success = 0"));
    auto kinds =
        exec(QStringLiteral("SELECT error_kind, COUNT(*) FROM traces%1 GROUP BY error_kind").arg(failed.whereClause()),
             failed.values);
    if (!kinds)
        return kinds.error();
    QJsonObject errorsByKind;
    while (kinds->next()) {
        const QString kind = kinds->value(0).isNull() ? QStringLiteral("unknown") : kinds->value(0).toString();
        errorsByKind.insert(kind, errorsByKind.value(kind).toInteger() + kinds->value(1).toLongLong());
    }

    auto duration = percentiles(QStringLiteral("duration_ms"), where, requests);
    if (!duration)
        return duration.error();
    TraceFilter::Sql streams = where;
    streams.add(QStringLiteral("streamed = 1 AND ttfb_ms IS NOT NULL"));
    auto ttfb = percentiles(QStringLiteral("ttfb_ms"), streams, streamed);
    if (!ttfb)
        return ttfb.error();

    return QJsonObject{
        {QStringLiteral("period"), period(*allowed)},
        {QStringLiteral("requests"), requests},
        {QStringLiteral("successes"), successes},
        {QStringLiteral("errors"), requests - successes},
        {QStringLiteral("successRate"), ratio(successes, requests)},
        {QStringLiteral("errorsByKind"), errorsByKind},
        {QStringLiteral("tokens"), tokens},
        {QStringLiteral("cost"),
         QJsonObject{{QStringLiteral("micros"), costMicros}, {QStringLiteral("dollars"), double(costMicros) / 1e6}}},
        {QStringLiteral("latency"), QJsonObject{{QStringLiteral("durationMs"), *duration},
                                                {QStringLiteral("ttfbMs"), *ttfb},
                                                {QStringLiteral("streamedRequests"), streamed}}},
    };
}

Result<QJsonArray> StatsService::trend(const Actor& actor, const TraceFilter& filter, Bucket bucket)
{
    auto allowed = scoped(actor, filter, QStringLiteral("stats.trend"));
    if (!allowed)
        return allowed.error();
    const qint64 size = bucket == Bucket::Hour ? kHourMs : kDayMs;
    const qint64 first = *allowed->fromMs - *allowed->fromMs % size;
    const qint64 end = *allowed->toMs;
    if ((end - first) / size > kMaxTrendBuckets)
        return ApiErrors::invalid(QStringLiteral("the period holds more than %1 %2 buckets: shorten it or use "
                                                 "bucket=day")
                                      .arg(kMaxTrendBuckets)
                                      .arg(bucket == Bucket::Hour ? QStringLiteral("hour") : QStringLiteral("day")));

    const TraceFilter::Sql where = allowed->where();
    // The bucket size is one of two constants, never client text; the arithmetic on the integer column is the
    // same on both engines (UTC buckets).
    auto rows =
        exec(QStringLiteral("SELECT created_at - created_at % %1 AS bucket, COUNT(*), %2, %3, %4, %5 FROM "
                            "traces%6 GROUP BY created_at - created_at % %1 ORDER BY bucket")
                 .arg(size)
                 .arg(sum(QStringLiteral("1 - success")), sum(QStringLiteral("total_tokens")),
                      sum(QStringLiteral("cost_micros")), sum(QStringLiteral("duration_ms")), where.whereClause()),
             where.values);
    if (!rows)
        return rows.error();
    QHash<qint64, QJsonObject> filled;
    while (rows->next()) {
        const qint64 requests = rows->value(1).toLongLong();
        filled.insert(rows->value(0).toLongLong(),
                      QJsonObject{{QStringLiteral("requests"), requests},
                                  {QStringLiteral("errors"), rows->value(2).toLongLong()},
                                  {QStringLiteral("tokens"), rows->value(3).toLongLong()},
                                  {QStringLiteral("costMicros"), rows->value(4).toLongLong()},
                                  {QStringLiteral("avgDurationMs"), average(rows->value(5).toLongLong(), requests)}});
    }
    // Every bucket of the period appears, empty ones with zeros, so a chart needs no gap handling.
    QJsonArray buckets;
    for (qint64 start = first; start < end; start += size) {
        QJsonObject item = filled.value(start, QJsonObject{{QStringLiteral("requests"), 0},
                                                           {QStringLiteral("errors"), 0},
                                                           {QStringLiteral("tokens"), 0},
                                                           {QStringLiteral("costMicros"), 0},
                                                           {QStringLiteral("avgDurationMs"), QJsonValue()}});
        item.insert(QStringLiteral("start"), JsonValues::time(start));
        buckets.append(item);
    }
    return buckets;
}

Result<QJsonArray> StatsService::models(const Actor& actor, const TraceFilter& filter)
{
    auto allowed = scoped(actor, filter, QStringLiteral("stats.models"));
    if (!allowed)
        return allowed.error();
    const TraceFilter::Sql where = allowed->where();
    auto rows =
        exec(QStringLiteral("SELECT model, COUNT(*) AS requests, %1, %2 FROM traces%3 GROUP BY model "
                            "ORDER BY requests DESC, model")
                 .arg(sum(QStringLiteral("total_tokens")), sum(QStringLiteral("cost_micros")), where.whereClause()),
             where.values);
    if (!rows)
        return rows.error();
    struct Share
    {
        QJsonValue model;
        qint64 requests, tokens, cost;
    };
    QList<Share> shares;
    qint64 requests = 0, tokens = 0, cost = 0;
    while (rows->next()) {
        shares.append({rows->value(0).isNull() ? QJsonValue() : QJsonValue(rows->value(0).toString()),
                       rows->value(1).toLongLong(), rows->value(2).toLongLong(), rows->value(3).toLongLong()});
        requests += shares.last().requests;
        tokens += shares.last().tokens;
        cost += shares.last().cost;
    }
    QJsonArray items;
    for (const Share& share : shares) {
        items.append(QJsonObject{{QStringLiteral("model"), share.model},
                                 {QStringLiteral("requests"), share.requests},
                                 {QStringLiteral("tokens"), share.tokens},
                                 {QStringLiteral("costMicros"), share.cost},
                                 {QStringLiteral("requestShare"), ratio(share.requests, requests)},
                                 {QStringLiteral("tokenShare"), ratio(share.tokens, tokens)},
                                 {QStringLiteral("costShare"), ratio(share.cost, cost)}});
    }
    return items;
}

Result<QJsonArray> StatsService::perKey(const Actor& actor, const TraceFilter& filter, const QString& keyColumn,
                                        const QString& keyTable, const QString& extraColumns, const QString& action)
{
    auto allowed = scoped(actor, filter, action);
    if (!allowed)
        return allowed.error();
    const TraceFilter::Sql where = allowed->where();
    // Aggregate first, then join the few resulting rows to their keys.
    auto rows = exec(QStringLiteral("SELECT t.key_id, k.name, k.deleted_at, t.requests, t.successes, t.tokens, "
                                    "t.cost, t.duration%1 FROM (SELECT %2 AS key_id, COUNT(*) AS requests, "
                                    "%3 AS successes, %4 AS tokens, %5 AS cost, %6 AS duration FROM traces%7 "
                                    "GROUP BY %2) t LEFT JOIN %8 k ON k.id = t.key_id ORDER BY t.requests DESC, "
                                    "t.key_id")
                         .arg(extraColumns, keyColumn, sum(QStringLiteral("success")),
                              sum(QStringLiteral("total_tokens")), sum(QStringLiteral("cost_micros")),
                              sum(QStringLiteral("duration_ms")), where.whereClause(), keyTable),
                     where.values);
    if (!rows)
        return rows.error();
    QJsonArray items;
    while (rows->next()) {
        const qint64 requests = rows->value(3).toLongLong();
        const qint64 successes = rows->value(4).toLongLong();
        QJsonObject item{
            {QStringLiteral("id"), rows->value(0).isNull() ? QJsonValue() : QJsonValue(rows->value(0).toLongLong())},
            {QStringLiteral("name"), rows->value(1).isNull() ? QJsonValue() : QJsonValue(rows->value(1).toString())},
            {QStringLiteral("deleted"), !rows->value(2).isNull()},
            {QStringLiteral("requests"), requests},
            {QStringLiteral("successes"), successes},
            {QStringLiteral("errors"), requests - successes},
            {QStringLiteral("successRate"), ratio(successes, requests)},
            {QStringLiteral("tokens"), rows->value(5).toLongLong()},
            {QStringLiteral("costMicros"), rows->value(6).toLongLong()},
            {QStringLiteral("avgDurationMs"), average(rows->value(7).toLongLong(), requests)}};
        if (!extraColumns.isEmpty()) {
            item.insert(QStringLiteral("keyPrefix"),
                        rows->value(8).isNull() ? QJsonValue() : QJsonValue(rows->value(8).toString()));
            item.insert(QStringLiteral("userId"),
                        rows->value(9).isNull() ? QJsonValue() : QJsonValue(rows->value(9).toLongLong()));
        }
        items.append(item);
    }
    return items;
}

Result<QJsonArray> StatsService::providerKeys(const Actor& actor, const TraceFilter& filter)
{
    return perKey(actor, filter, QStringLiteral("provider_key_id"), QStringLiteral("provider_keys"), {},
                  QStringLiteral("stats.provider_keys"));
}

Result<QJsonArray> StatsService::gatewayKeys(const Actor& actor, const TraceFilter& filter)
{
    return perKey(actor, filter, QStringLiteral("gateway_key_id"), QStringLiteral("gateway_keys"),
                  QStringLiteral(", k.key_prefix, k.user_id"), QStringLiteral("stats.gateway_keys"));
}
