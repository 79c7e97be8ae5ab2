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
    // A null QString binds as SQL NULL: an actor without a name (a locked-out address) is written with an empty one.
    auto inserted = m_database.exec(
        QStringLiteral("INSERT INTO audit_log (created_at, actor_user_id, actor_name, action, object_type, object_id, "
                       "details, client_address) VALUES (?, ?, COALESCE(?, ''), ?, ?, ?, ?, ?) RETURNING id"),
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
