#include "storage/SettingsStore.h"

#include <QDateTime>

Result<std::optional<QString>> SettingsStore::value(const QString& key)
{
    auto query = m_database.exec(QStringLiteral("SELECT value FROM settings WHERE key = ?"), {key});
    if (!query)
        return query.error();
    if (!query->next())
        return std::optional<QString>();
    return std::optional<QString>(query->value(0).toString());
}

Result<void> SettingsStore::setValue(const QString& key, const QString& value)
{
    auto query = m_database.exec(QStringLiteral("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                                                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                                                "updated_at = excluded.updated_at"),
                                 {key, value, QDateTime::currentMSecsSinceEpoch()});
    if (!query)
        return query.error();
    return {};
}

Result<bool> SettingsStore::setValueIfAbsent(const QString& key, const QString& value)
{
    auto query = m_database.exec(
        QStringLiteral("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING"),
        {key, value, QDateTime::currentMSecsSinceEpoch()});
    if (!query)
        return query.error();
    return query->numRowsAffected() == 1;
}
