#include "service/StatsService.h"

#include "auth/Permissions.h"
#include "common/ApiErrors.h"
#include "common/Durations.h"
#include "service/JsonValues.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"
#include "storage/StatsRollup.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>

namespace {

// SUM of a BIGINT is NUMERIC on PostgreSQL and NULL over no rows on both engines: always a BIGINT here.
QString sum(const QString& expression)
{
    return QStringLiteral("CAST(COALESCE(SUM(%1), 0) AS BIGINT)").arg(expression);
}

QStringList sums(const QStringList& columns)
{
    QStringList expressions;
    for (const QString& column : columns)
        expressions << sum(column);
    return expressions;
}

double ratio(qint64 part, qint64 whole)
{
    return whole > 0 ? double(part) / double(whole) : 0.0;
}

QJsonValue average(qint64 total, qint64 count)
{
    return count > 0 ? QJsonValue(std::round(double(total) / double(count) * 10.0) / 10.0) : QJsonValue();
}

// A key id, or null when none was known (0 in the rollups).
QJsonValue keyIdOrNull(const QVariant& id)
{
    return id.isNull() || id.toLongLong() == 0 ? QJsonValue() : QJsonValue(id.toLongLong());
}

qint64 ceilTo(qint64 ms, qint64 size)
{
    return ms % size == 0 ? ms : ms - ms % size + size;
}

QJsonObject period(const TraceFilter& filter)
{
    return QJsonObject{{QStringLiteral("from"), JsonValues::time(filter.fromMs.value_or(0))},
                       {QStringLiteral("to"), JsonValues::time(filter.toMs.value_or(0))}};
}

using Buckets = std::array<qint64, StatsRollup::kLatencyBoundsMs.size()>;

// p50, p95 and p99 of `count` values from their cumulative histogram and their largest: nulls when there are none.
QJsonObject percentiles(const Buckets& atMost, qint64 count, qint64 largest)
{
    QJsonObject result;
    for (const int p : {50, 95, 99}) {
        QJsonValue value;
        if (count > 0) {
            const qint64 rank = std::max<qint64>(1, (qint64(p) * count + 99) / 100);
            const auto bucket = std::find_if(atMost.begin(), atMost.end(), [rank](qint64 n) { return n >= rank; });
            value = bucket == atMost.end()
                        ? largest
                        : std::min<qint64>(largest, StatsRollup::kLatencyBoundsMs[size_t(bucket - atMost.begin())]);
        }
        result.insert(QStringLiteral("p%1").arg(p), value);
    }
    return result;
}

} // namespace

TraceFilter StatsService::wholeMinutes(TraceFilter filter)
{
    filter.fromMs = ceilTo(*filter.fromMs, kMinuteMs);
    filter.toMs = ceilTo(*filter.toMs, kMinuteMs);
    return filter;
}

Result<TraceFilter> StatsService::scoped(const Actor& actor, const TraceFilter& filter, const QString& action)
{
    TraceFilter scoped = wholeMinutes(filter);
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

StatsService::Source StatsService::source(const TraceFilter& filter, GroupBy groupBy, const QStringList& columns)
{
    const bool byUser = filter.userId > 0 || filter.gatewayKeyId > 0 || groupBy == GroupBy::GatewayKey;
    const bool byProviderKey = filter.providerKeyId > 0 || groupBy == GroupBy::ProviderKey;
    const bool byModel = !filter.model.isEmpty() || groupBy == GroupBy::Model;
    StatsRollup::Breakdown breakdown = StatsRollup::Total;
    if (int(byUser) + int(byProviderKey) + int(byModel) > 1)
        breakdown = StatsRollup::Full;
    else if (byUser)
        breakdown = StatsRollup::GatewayKey;
    else if (byProviderKey)
        breakdown = StatsRollup::ProviderKey;
    else if (byModel)
        breakdown = StatsRollup::Model;

    TraceFilter::Sql keys;
    keys.add(QStringLiteral("breakdown = ?"), {int(breakdown)});
    if (filter.userId > 0)
        keys.add(QStringLiteral("user_id = ?"), {filter.userId});
    if (filter.gatewayKeyId > 0)
        keys.add(QStringLiteral("gateway_key_id = ?"), {filter.gatewayKeyId});
    if (filter.providerKeyId > 0)
        keys.add(QStringLiteral("provider_key_id = ?"), {filter.providerKeyId});
    if (!filter.model.isEmpty())
        keys.add(QStringLiteral("model = ?"), {filter.model});

    // Whole hours from the hourly rows, the minutes before the first and after the last whole hour from the minutes.
    const qint64 from = *filter.fromMs, to = *filter.toMs;
    const qint64 hoursFrom = ceilTo(from, kHourMs), hoursTo = to - to % kHourMs;
    QList<std::tuple<QString, qint64, qint64>> spans;
    if (hoursFrom < hoursTo) {
        if (from < hoursFrom)
            spans.append({QStringLiteral("stats_minute"), from, hoursFrom});
        spans.append({QStringLiteral("stats_hour"), hoursFrom, hoursTo});
        if (hoursTo < to)
            spans.append({QStringLiteral("stats_minute"), hoursTo, to});
    } else {
        spans.append({QStringLiteral("stats_minute"), from, to}); // empty when both ends round to one minute
    }
    const QString selected = columns.join(QStringLiteral(", "));
    QStringList selects;
    Source result;
    for (const auto& [table, spanFrom, spanTo] : spans) {
        TraceFilter::Sql where = keys;
        where.add(QStringLiteral("bucket_start >= ? AND bucket_start < ?"), {spanFrom, spanTo});
        selects << QStringLiteral("SELECT %1 FROM %2%3").arg(selected, table, where.whereClause());
        result.values += where.values;
    }
    result.sql = QStringLiteral("(%1) r").arg(selects.join(QStringLiteral(" UNION ALL ")));
    return result;
}

Result<QSqlQuery> StatsService::exec(const QString& sql, const QVariantList& values)
{
    if (m_observer)
        m_observer(sql, values);
    return m_context.database.exec(sql, values);
}

Result<QJsonObject> StatsService::overview(const Actor& actor, const TraceFilter& filter)
{
    auto allowed = scoped(actor, filter, QStringLiteral("stats.overview"));
    if (!allowed)
        return allowed.error();
    const QStringList& sumColumns = StatsRollup::sumColumns();
    const Source rollups = source(*allowed, GroupBy::Nothing,
                                  QStringList{QStringLiteral("error_kind")} + sumColumns + StatsRollup::maxColumns() +
                                      StatsRollup::histogramColumns());
    auto groups = exec(QStringLiteral("SELECT error_kind, %1, %2, %3 FROM %4 GROUP BY error_kind")
                           .arg(sums(sumColumns).join(QStringLiteral(", ")),
                                QStringLiteral("MAX(duration_ms_max), MAX(ttfb_ms_max)"),
                                sums(StatsRollup::histogramColumns()).join(QStringLiteral(", ")), rollups.sql),
                       rollups.values);
    if (!groups)
        return groups.error();
    std::array<qint64, 10> totals{};
    qint64 longest = 0, slowestFirstByte = 0;
    Buckets durations{}, firstBytes{};
    QJsonObject errorsByKind;
    while (groups->next()) {
        int column = 1;
        const auto next = [&] { return groups->value(column++).toLongLong(); };
        for (qint64& total : totals)
            total += next();
        longest = std::max(longest, next());
        slowestFirstByte = std::max(slowestFirstByte, next());
        for (qint64& count : durations)
            count += next();
        for (qint64& count : firstBytes)
            count += next();
        const qint64 failed = groups->value(1).toLongLong() - groups->value(2).toLongLong();
        if (failed > 0) {
            const QString kind = groups->value(0).toString();
            errorsByKind.insert(kind.isEmpty() ? QStringLiteral("unknown") : kind, failed);
        }
    }
    Q_ASSERT(sumColumns.size() == qsizetype(totals.size()));
    const auto [requests, successes, prompt, completion, total, cacheRead, cacheWrite, costMicros, durationSum,
                streamed] = totals;
    (void)durationSum;
    return QJsonObject{
        {QStringLiteral("period"), period(*allowed)},
        {QStringLiteral("requests"), requests},
        {QStringLiteral("successes"), successes},
        {QStringLiteral("errors"), requests - successes},
        {QStringLiteral("successRate"), ratio(successes, requests)},
        {QStringLiteral("errorsByKind"), errorsByKind},
        {QStringLiteral("tokens"), QJsonObject{{QStringLiteral("prompt"), prompt},
                                               {QStringLiteral("completion"), completion},
                                               {QStringLiteral("total"), total},
                                               {QStringLiteral("cacheRead"), cacheRead},
                                               {QStringLiteral("cacheWrite"), cacheWrite}}},
        {QStringLiteral("cost"),
         QJsonObject{{QStringLiteral("micros"), costMicros}, {QStringLiteral("dollars"), double(costMicros) / 1e6}}},
        {QStringLiteral("latency"),
         QJsonObject{{QStringLiteral("durationMs"), percentiles(durations, requests, longest)},
                     {QStringLiteral("ttfbMs"), percentiles(firstBytes, streamed, slowestFirstByte)},
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

    const Source rollups =
        source(*allowed, GroupBy::Nothing,
               {QStringLiteral("bucket_start"), QStringLiteral("requests"), QStringLiteral("successes"),
                QStringLiteral("total_tokens"), QStringLiteral("cost_micros"), QStringLiteral("duration_ms_sum")});
    // The bucket size is one of two constants, never client text; the arithmetic on the integer column is the
    // same on both engines (UTC buckets).
    auto rows = exec(QStringLiteral("SELECT bucket_start - bucket_start % %1 AS bucket, %2 FROM %3 GROUP BY "
                                    "bucket_start - bucket_start % %1 ORDER BY bucket")
                         .arg(size)
                         .arg(sums({QStringLiteral("requests"), QStringLiteral("requests - successes"),
                                    QStringLiteral("total_tokens"), QStringLiteral("cost_micros"),
                                    QStringLiteral("duration_ms_sum")})
                                  .join(QStringLiteral(", ")),
                              rollups.sql),
                     rollups.values);
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
    const Source rollups = source(*allowed, GroupBy::Model,
                                  {QStringLiteral("model"), QStringLiteral("requests"), QStringLiteral("total_tokens"),
                                   QStringLiteral("cost_micros")});
    auto rows = exec(QStringLiteral("SELECT model, %1 AS n, %2, %3 FROM %4 GROUP BY model ORDER BY n DESC, model")
                         .arg(sum(QStringLiteral("requests")), sum(QStringLiteral("total_tokens")),
                              sum(QStringLiteral("cost_micros")), rollups.sql),
                     rollups.values);
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
        const QString model = rows->value(0).toString();
        shares.append({model.isEmpty() ? QJsonValue() : QJsonValue(model), rows->value(1).toLongLong(),
                       rows->value(2).toLongLong(), rows->value(3).toLongLong()});
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

Result<QJsonArray> StatsService::perKey(const Actor& actor, const TraceFilter& filter, GroupBy groupBy,
                                        const QString& keyTable, const QString& extraColumns, const QString& action)
{
    auto allowed = scoped(actor, filter, action);
    if (!allowed)
        return allowed.error();
    const QString keyColumn =
        groupBy == GroupBy::GatewayKey ? QStringLiteral("gateway_key_id") : QStringLiteral("provider_key_id");
    const Source rollups =
        source(*allowed, groupBy,
               {keyColumn, QStringLiteral("requests"), QStringLiteral("successes"), QStringLiteral("total_tokens"),
                QStringLiteral("cost_micros"), QStringLiteral("duration_ms_sum")});
    // Aggregate first, then join the few resulting rows to their keys (0: not known, joins none).
    auto rows =
        exec(QStringLiteral("SELECT t.key_id, k.name, k.deleted_at, t.n, t.successes, t.tokens, "
                            "t.cost, t.duration%1 FROM (SELECT %2 AS key_id, %3 AS n, "
                            "%4 AS successes, %5 AS tokens, %6 AS cost, %7 AS duration FROM %8 "
                            "GROUP BY %2) t LEFT JOIN %9 k ON k.id = t.key_id ORDER BY t.n DESC, "
                            "t.key_id")
                 .arg(extraColumns, keyColumn, sum(QStringLiteral("requests")), sum(QStringLiteral("successes")),
                      sum(QStringLiteral("total_tokens")), sum(QStringLiteral("cost_micros")),
                      sum(QStringLiteral("duration_ms_sum")), rollups.sql, keyTable),
             rollups.values);
    if (!rows)
        return rows.error();
    QJsonArray items;
    while (rows->next()) {
        const qint64 requests = rows->value(3).toLongLong();
        const qint64 successes = rows->value(4).toLongLong();
        QJsonObject item{
            {QStringLiteral("id"), keyIdOrNull(rows->value(0))},
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
    return perKey(actor, filter, GroupBy::ProviderKey, QStringLiteral("provider_keys"), {},
                  QStringLiteral("stats.provider_keys"));
}

Result<QJsonArray> StatsService::gatewayKeys(const Actor& actor, const TraceFilter& filter)
{
    return perKey(actor, filter, GroupBy::GatewayKey, QStringLiteral("gateway_keys"),
                  QStringLiteral(", k.key_prefix, k.user_id"), QStringLiteral("stats.gateway_keys"));
}
