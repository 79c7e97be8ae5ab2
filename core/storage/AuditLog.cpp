#include "storage/AuditLog.h"

#include "common/ApiErrors.h"
#include "common/Logging.h"
#include "storage/Database.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

namespace {

constexpr qsizetype kMaxRepeatedTracked = 10'000;

QVariant nullable(const QString& text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

QString json(const QJsonObject& object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace

Result<qint64> AuditLog::insert(const Actor& actor, const QString& action, const QString& objectType,
                                const QString& objectId, const QJsonObject& details, qint64 atMs)
{
    auto inserted = m_database.exec(
        QStringLiteral("INSERT INTO audit_log (created_at, actor_user_id, actor_name, action, object_type, object_id, "
                       "details, client_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"),
        {atMs, actor.userId > 0 ? QVariant(actor.userId) : QVariant(QMetaType::fromType<qint64>()), actor.username,
         action, nullable(objectType), nullable(objectId), json(details), actor.clientAddress});
    if (!inserted || !inserted->next()) {
        const QString message = inserted ? QStringLiteral("no id returned") : inserted.error().message;
        qCCritical(lcAdmin).noquote() << "audit entry" << action << "not written:" << message;
        return inserted ? Error::make(QStringLiteral("database"), message) : inserted.error();
    }
    return inserted->value(0).toLongLong();
}

Result<void> AuditLog::record(const Actor& actor, const QString& action, const QString& objectType,
                              const QString& objectId, const QJsonObject& details)
{
    auto inserted = insert(actor, action, objectType, objectId, details, QDateTime::currentMSecsSinceEpoch());
    if (!inserted)
        return inserted.error();
    return {};
}

Result<void> AuditLog::recordRepeated(const Actor& actor, const QString& action, const QString& objectType,
                                      const QString& objectId, const QJsonObject& details)
{
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    const QString key =
        QStringList{action, actor.username, actor.clientAddress, objectType, objectId, json(details)}.join(QChar(0));
    if (m_repeated.size() >= kMaxRepeatedTracked)
        m_repeated.removeIf([&](const auto& entry) { return nowMs - entry.value().firstAtMs >= kRepeatWindowMs; });
    auto it = m_repeated.find(key);
    if (it != m_repeated.end() && nowMs - it->firstAtMs < kRepeatWindowMs) {
        QJsonObject counted = details;
        counted.insert(QStringLiteral("count"), ++it->count);
        auto updated =
            m_database.exec(QStringLiteral("UPDATE audit_log SET details = ? WHERE id = ?"), {json(counted), it->id});
        if (!updated)
            qCCritical(lcAdmin).noquote() << "audit entry" << action << "not counted:" << updated.error().message;
        return updated ? Result<void>() : Result<void>(updated.error());
    }
    QJsonObject counted = details;
    counted.insert(QStringLiteral("count"), 1);
    auto inserted = insert(actor, action, objectType, objectId, counted, nowMs);
    if (!inserted)
        return inserted.error();
    if (m_repeated.size() < kMaxRepeatedTracked) // beyond that many sources in one window, a row each
        m_repeated.insert(key, Repeated{*inserted, nowMs, 1});
    return {};
}

Result<qint64> AuditLog::purgeOlderThan(qint64 cutoffMs)
{
    auto deleted = m_database.exec(QStringLiteral("DELETE FROM audit_log WHERE created_at < ?"), {cutoffMs});
    if (!deleted)
        return deleted.error();
    return qint64(deleted->numRowsAffected());
}

Error AuditLog::denied(const Actor& actor, const QString& attemptedAction, const QString& objectType,
                       const QString& objectId, const QString& message)
{
    const QString said = message.isEmpty() ? QStringLiteral("you may not do %1").arg(attemptedAction) : message;
    // A failed write is logged by record(); the denial stands either way.
    (void)record(actor, QStringLiteral("permission.denied"), objectType, objectId,
                 {{QStringLiteral("action"), attemptedAction}, {QStringLiteral("message"), said}});
    return ApiErrors::forbidden(said);
}

Result<AuditLog::Entries> AuditLog::entries(const Filter& filter, const QString& orderBy, int limit, qint64 offset)
{
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
                                    .arg(whereClause, orderBy),
                                values + QVariantList{limit, offset});
    if (!rows)
        return rows.error();
    Entries entries;
    entries.total = total;
    while (rows->next()) {
        const auto nullable = [&](int column) {
            return rows->isNull(column) ? QJsonValue() : QJsonValue(rows->value(column).toString());
        };
        entries.items.append(QJsonObject{
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
    return entries;
}
