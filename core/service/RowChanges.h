#pragma once

#include "common/Result.h"

#include <QStringList>
#include <QVariantList>

class Database;

// The columns a create or update writes, collected while the input is read, so one reader serves both.
struct RowChanges
{
    QStringList fields; // API field names, for the audit entry
    QStringList columns;
    QVariantList values;

    void set(const QString& field, const QString& column, const QVariant& value)
    {
        fields << field;
        columns << column;
        values << value;
    }
    bool isEmpty() const { return columns.isEmpty(); }

    // INSERT INTO table (columns) VALUES (values): the new row's id.
    Result<qint64> insertInto(Database& database, const QString& table) const;
    // UPDATE table SET column = value, ... WHERE id = id.
    Result<void> update(Database& database, const QString& table, qint64 id) const;
};
