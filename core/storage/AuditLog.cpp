#include "storage/AuditLog.h"

#include "admin/ApiReply.h"
#include "admin/PageQuery.h"
#include "auth/Permissions.h"
#include "common/Logging.h"
#include "storage/Database.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

Result<void> AuditLog::record(const Actor& actor, const QString& action, const QString& objectType,
                              const QString& objectId, const QJsonObject& details)
{
    auto inserted = m_database.exec(
        QStringLiteral("INSERT INTO audit_log (created_at, actor_user_id, actor_name, action, object_type, object_id, "
                       "details, client_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
        {QDateTime::currentMSecsSinceEpoch(),
         actor.userId > 0 ? QVariant(actor.userId) : QVariant(QMetaType::fromType<qint64>()), actor.username, action,
         objectType.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(objectType),
         objectId.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(objectId),
         QString::fromUtf8(QJsonDocument(details).toJson(QJsonDocument::Compact)), actor.clientAddress});
    if (!inserted) {
        qCCritical(lcAdmin).noquote() << "audit entry" << action << "not written:" << inserted.error().message;
        return inserted.error();
    }
    return {};
}

Error AuditLog::denied(const Actor& actor, const QString& attemptedAction, const QString& objectType,
                       const QString& objectId)
{
    (void)record(actor, QStringLiteral("permission.denied"), objectType, objectId,
                 {{QStringLiteral("attempted"), attemptedAction}});
    return ApiErrors::forbidden(QStringLiteral("you may not do %1").arg(attemptedAction));
}

Result<QJsonObject> AuditLog::list(const Actor& actor, const Filter& filter, const PageQuery& page)
{
    if (!actor.has(Permissions::kLogsView))
        return denied(actor, QStringLiteral("audit.list"));

    QStringList conditions{QStringLiteral("1 = 1")};
    QVariantList values;
    const auto where = [&](const QString& condition, const QVariant& value) {
        conditions << condition;
        values << value;
    };
    if (filter.fromMs > 0)
        where(QStringLiteral("created_at >= ?"), filter.fromMs);
    if (filter.toMs > 0)
        where(QStringLiteral("created_at < ?"), filter.toMs);
    if (filter.actorUserId > 0)
        where(QStringLiteral("actor_user_id = ?"), filter.actorUserId);
    if (filter.action.endsWith(QLatin1Char('*'))) {
        const QString prefix = filter.action.chopped(1);
        conditions << QStringLiteral("substr(action, 1, %1) = ?").arg(prefix.size());
        values << prefix;
    } else if (!filter.action.isEmpty()) {
        where(QStringLiteral("action = ?"), filter.action);
    }
    if (!filter.objectType.isEmpty())
        where(QStringLiteral("object_type = ?"), filter.objectType);
    if (!filter.objectId.isEmpty())
        where(QStringLiteral("object_id = ?"), filter.objectId);
    const QString whereClause = conditions.join(QStringLiteral(" AND "));

    auto counted = m_database.exec(QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE ") + whereClause, values);
    if (!counted)
        return counted.error();
    const qint64 total = counted->next() ? counted->value(0).toLongLong() : 0;

    auto rows = m_database.exec(QStringLiteral("SELECT id, created_at, actor_user_id, actor_name, action, object_type, "
                                               "object_id, details, client_address FROM audit_log WHERE %1 "
                                               "ORDER BY %2, id DESC LIMIT ? OFFSET ?")
                                    .arg(whereClause, page.orderBy),
                                values + QVariantList{page.pageSize, page.offset()});
    if (!rows)
        return rows.error();
    QJsonArray items;
    while (rows->next()) {
        const auto nullable = [&](int column) {
            return rows->isNull(column) ? QJsonValue() : QJsonValue(rows->value(column).toString());
        };
        items.append(QJsonObject{
            {QStringLiteral("id"), rows->value(0).toLongLong()},
            {QStringLiteral("time"),
             QDateTime::fromMSecsSinceEpoch(rows->value(1).toLongLong(), Qt::UTC).toString(Qt::ISODateWithMs)},
            {QStringLiteral("actorId"), rows->isNull(2) ? QJsonValue() : QJsonValue(rows->value(2).toLongLong())},
            {QStringLiteral("actorName"), rows->value(3).toString()},
            {QStringLiteral("action"), rows->value(4).toString()},
            {QStringLiteral("objectType"), nullable(5)},
            {QStringLiteral("objectId"), nullable(6)},
            {QStringLiteral("details"), QJsonDocument::fromJson(rows->value(7).toString().toUtf8()).object()},
            {QStringLiteral("clientAddress"), nullable(8)},
        });
    }
    return page.reply(items, total);
}
