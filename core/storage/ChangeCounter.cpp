#include "storage/ChangeCounter.h"

#include "storage/Database.h"

#include <QDateTime>
#include <QSqlQuery>

Result<void> ChangeCounter::add()
{
    auto updated = m_database.exec(QStringLiteral("UPDATE settings SET value = CAST(CAST(value AS BIGINT) + 1 AS "
                                                  "TEXT), updated_at = ? WHERE key = ?"),
                                   {QDateTime::currentMSecsSinceEpoch(), QLatin1String(m_name)});
    if (!updated)
        return updated.error();
    return {};
}

Result<qint64> ChangeCounter::value()
{
    auto row = m_database.exec(QStringLiteral("SELECT value FROM settings WHERE key = ?"), {QLatin1String(m_name)});
    if (!row)
        return row.error();
    return row->next() ? row->value(0).toString().toLongLong() : 0;
}
