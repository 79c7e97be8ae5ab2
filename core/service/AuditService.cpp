#include "service/AuditService.h"

#include "auth/Permissions.h"
#include "service/ListQuery.h"
#include "service/QueryInput.h"
#include "service/ServiceContext.h"
#include "storage/AuditLog.h"

#include <QDateTime>
#include <QJsonDocument>

namespace {

QJsonObject entryJson(const QSqlQuery& row)
{
    const auto nullable = [&](int column) {
        return row.isNull(column) ? QJsonValue() : QJsonValue(row.value(column).toString());
    };
    return QJsonObject{
        {QStringLiteral("id"), row.value(0).toLongLong()},
        {QStringLiteral("time"),
         QDateTime::fromMSecsSinceEpoch(row.value(1).toLongLong(), Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("actorId"), row.isNull(2) ? QJsonValue() : QJsonValue(row.value(2).toLongLong())},
        {QStringLiteral("actorName"), row.value(3).toString()},
        {QStringLiteral("action"), row.value(4).toString()},
        {QStringLiteral("objectType"), nullable(5)},
        {QStringLiteral("objectId"), nullable(6)},
        {QStringLiteral("details"), QJsonDocument::fromJson(row.value(7).toString().toUtf8()).object()},
        {QStringLiteral("clientAddress"), nullable(8)},
    };
}

} // namespace

Result<QJsonObject> AuditService::list(const Actor& actor, const QUrlQuery& query)
{
    if (!actor.has(Permissions::kLogsView))
        return m_context.audit.denied(actor, QStringLiteral("audit.list"));
    QueryInput in(query);
    ListQuery list = ListQuery::read(
        in, {.columns = QStringLiteral(
                 "id, created_at, actor_user_id, actor_name, action, object_type, object_id, details, client_address"),
             .from = QStringLiteral("audit_log"),
             .toJson = entryJson,
             .sortColumns = {{QStringLiteral("time"), QStringLiteral("created_at")}},
             .defaultSort = QStringLiteral("-time"),
             .idColumn = QStringLiteral("id"),
             .idFilters = {{QStringLiteral("actorId"), QStringLiteral("actor_user_id")}},
             .textFilters = {{QStringLiteral("objectType"), QStringLiteral("object_type")},
                             {QStringLiteral("objectId"), QStringLiteral("object_id")}}});
    if (const auto from = in.time(QStringLiteral("from")))
        list.addCondition(QStringLiteral("created_at >= ?"), {*from});
    if (const auto to = in.time(QStringLiteral("to")))
        list.addCondition(QStringLiteral("created_at < ?"), {*to});
    if (const auto action = in.text(QStringLiteral("action"))) {
        if (action->endsWith(u'*')) {
            const QString prefix = action->chopped(1);
            list.addCondition(QStringLiteral("substr(action, 1, %1) = ?").arg(prefix.size()), {prefix});
        } else {
            list.addCondition(QStringLiteral("action = ?"), {*action});
        }
    }
    if (auto error = in.error())
        return *error;
    return list.run(m_context.database);
}
