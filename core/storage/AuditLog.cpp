#include "storage/AuditLog.h"

#include "common/Logging.h"
#include "storage/Database.h"

#include <QDateTime>
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
