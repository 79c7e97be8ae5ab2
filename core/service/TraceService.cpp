#include "service/TraceService.h"

#include "auth/Permissions.h"
#include "common/ApiErrors.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"

#include <QDateTime>
#include <QRegularExpression>

namespace {

const QString kTraceColumns = QStringLiteral(
    "id, request_id, created_at, gateway_key_id, user_id, provider_type_id, provider_key_id, method, path, model, "
    "status, success, error_kind, error_message, prompt_tokens, completion_tokens, total_tokens, cache_read_tokens, "
    "cache_write_tokens, cost_micros, duration_ms, ttfb_ms, retries, streamed, client_address");

QJsonValue idOrNull(const QVariant& value)
{
    return value.isNull() ? QJsonValue() : QJsonValue(value.toLongLong());
}

QJsonValue textOrNull(const QVariant& value)
{
    return value.isNull() ? QJsonValue() : QJsonValue(value.toString());
}

QJsonObject traceJson(const QSqlQuery& row)
{
    return QJsonObject{
        {QStringLiteral("id"), row.value(0).toLongLong()},
        {QStringLiteral("requestId"), row.value(1).toString()},
        {QStringLiteral("createdAt"),
         QDateTime::fromMSecsSinceEpoch(row.value(2).toLongLong(), Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("gatewayKeyId"), idOrNull(row.value(3))},
        {QStringLiteral("userId"), idOrNull(row.value(4))},
        {QStringLiteral("providerTypeId"), idOrNull(row.value(5))},
        {QStringLiteral("providerKeyId"), idOrNull(row.value(6))},
        {QStringLiteral("method"), row.value(7).toString()},
        {QStringLiteral("path"), row.value(8).toString()},
        {QStringLiteral("model"), textOrNull(row.value(9))},
        {QStringLiteral("status"), row.value(10).toInt()},
        {QStringLiteral("success"), row.value(11).toInt() != 0},
        {QStringLiteral("errorKind"), textOrNull(row.value(12))},
        {QStringLiteral("errorMessage"), textOrNull(row.value(13))},
        {QStringLiteral("promptTokens"), row.value(14).toLongLong()},
        {QStringLiteral("completionTokens"), row.value(15).toLongLong()},
        {QStringLiteral("totalTokens"), row.value(16).toLongLong()},
        {QStringLiteral("cacheReadTokens"), row.value(17).toLongLong()},
        {QStringLiteral("cacheWriteTokens"), row.value(18).toLongLong()},
        {QStringLiteral("costMicros"), row.value(19).toLongLong()},
        {QStringLiteral("durationMs"), row.value(20).toInt()},
        {QStringLiteral("ttfbMs"), row.value(21).isNull() ? QJsonValue() : QJsonValue(row.value(21).toInt())},
        {QStringLiteral("retries"), row.value(22).toInt()},
        {QStringLiteral("streamed"), row.value(23).toInt() != 0},
        {QStringLiteral("clientAddress"), textOrNull(row.value(24))},
    };
}

} // namespace

std::optional<TraceService::Cursor> TraceService::Cursor::parse(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("^([0-9]{1,15})_([0-9]{1,18})$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    return Cursor{match.captured(1).toLongLong(), match.captured(2).toLongLong()};
}

QString TraceService::Cursor::toString() const
{
    return QStringLiteral("%1_%2").arg(createdAtMs).arg(id);
}

Result<TraceFilter> TraceService::scoped(const Actor& actor, TraceFilter filter, const QString& action)
{
    if (actor.has(Permissions::kLogsView))
        return filter;
    if (actor.has(Permissions::kLogsOwn)) {
        // A userId filter naming someone else leaves nothing to see, as if that user had no traces.
        if (filter.userId > 0 && filter.userId != actor.userId)
            filter.userId = -1;
        else
            filter.userId = actor.userId;
        return filter;
    }
    (void)m_context.audit.record(actor, QStringLiteral("permission.denied"), QStringLiteral("trace"), {},
                                 QJsonObject{{QStringLiteral("action"), action}});
    return ApiErrors::forbidden(QStringLiteral("viewing traces needs the logs:view or logs:own permission"));
}

Result<QSqlQuery> TraceService::exec(const QString& sql, const QVariantList& values)
{
    if (m_observer)
        m_observer(sql, values);
    return m_context.database.exec(sql, values);
}

Result<TraceService::Page> TraceService::list(const Actor& actor, TraceFilter filter, std::optional<Cursor> before,
                                              int pageSize)
{
    auto allowed = scoped(actor, std::move(filter), QStringLiteral("trace.list"));
    if (!allowed)
        return allowed.error();
    if (pageSize < 1 || pageSize > kMaxPageSize)
        return ApiErrors::invalid(QStringLiteral("'pageSize' must be a whole number from 1 to %1").arg(kMaxPageSize));
    if (allowed->userId < 0)
        return Page{};

    TraceFilter::Sql where = allowed->where();
    auto counted = exec(QStringLiteral("SELECT COUNT(*) FROM traces") + where.whereClause(), where.values);
    if (!counted)
        return counted.error();
    Page page;
    page.total = counted->next() ? counted->value(0).toLongLong() : 0;

    if (before) {
        // The first term alone bounds the index range; the second excludes the rows of the same millisecond
        // already shown.
        where.add(QStringLiteral("created_at <= ? AND (created_at < ? OR id < ?)"),
                  {before->createdAtMs, before->createdAtMs, before->id});
    }
    // One row more than asked tells whether another page follows.
    auto rows = exec(QStringLiteral("SELECT %1 FROM traces%2 ORDER BY created_at DESC, id DESC LIMIT %3")
                         .arg(kTraceColumns, where.whereClause())
                         .arg(pageSize + 1),
                     where.values);
    if (!rows)
        return rows.error();
    Cursor last;
    while (rows->next()) {
        if (page.items.size() == pageSize) {
            page.nextCursor = last.toString();
            break;
        }
        page.items.append(traceJson(*rows));
        last = Cursor{rows->value(2).toLongLong(), rows->value(0).toLongLong()};
    }
    return page;
}

Result<QJsonObject> TraceService::get(const Actor& actor, qint64 id)
{
    TraceFilter none;
    auto allowed = scoped(actor, none, QStringLiteral("trace.read"));
    if (!allowed)
        return allowed.error();
    TraceFilter::Sql where = allowed->where();
    where.add(QStringLiteral("id = ?"), {id});
    auto row = exec(QStringLiteral("SELECT %1 FROM traces%2").arg(kTraceColumns, where.whereClause()), where.values);
    if (!row)
        return row.error();
    if (!row->next())
        return ApiErrors::notFound(QStringLiteral("no trace with id %1").arg(id));
    return traceJson(*row);
}
