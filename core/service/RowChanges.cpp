#include "service/RowChanges.h"

#include "storage/Database.h"

#include <QSqlQuery>

Result<qint64> RowChanges::insertInto(Database& database, const QString& table) const
{
    QStringList marks;
    for (qsizetype i = 0; i < columns.size(); ++i)
        marks << QStringLiteral("?");
    auto inserted = database.exec(QStringLiteral("INSERT INTO %1 (%2) VALUES (%3) RETURNING id")
                                      .arg(table, columns.join(QStringLiteral(", ")), marks.join(QStringLiteral(", "))),
                                  values);
    if (!inserted)
        return inserted.error();
    return inserted->next() ? inserted->value(0).toLongLong() : 0;
}

Result<void> RowChanges::update(Database& database, const QString& table, qint64 id) const
{
    auto updated = database.exec(
        QStringLiteral("UPDATE %1 SET %2 = ? WHERE id = ?").arg(table, columns.join(QStringLiteral(" = ?, "))),
        values + QVariantList{id});
    if (!updated)
        return updated.error();
    return {};
}
