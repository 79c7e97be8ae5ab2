#pragma once

#include <QStringList>
#include <QVariantList>

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

    // "a = ?, b = ?"
    QString assignments() const { return columns.join(QStringLiteral(" = ?, ")) + QStringLiteral(" = ?"); }
    // "a, b" and "?, ?"
    QString columnList() const { return columns.join(QStringLiteral(", ")); }
    QString placeholders() const
    {
        QStringList marks;
        for (qsizetype i = 0; i < columns.size(); ++i)
            marks << QStringLiteral("?");
        return marks.join(QStringLiteral(", "));
    }
};
