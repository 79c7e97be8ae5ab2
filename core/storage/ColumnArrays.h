#pragma once

#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

// Many rows sent to PostgreSQL as one array per column, which the statement turns back into rows:
//     INSERT INTO t (a, b) SELECT * FROM unnest(CAST(:a0 AS bigint[]), CAST(:a1 AS text[]))
// QtSql's PostgreSQL driver sends each bound value as a literal of an EXECUTE statement, which the server parses
// and evaluates one by one: that was most of the trace writer's time on PostgreSQL. As arrays, a batch is one
// statement of a few dozen literals, whatever its size. unnest() yields the rows in the order they were added.
class ColumnArrays
{
public:
    explicit ColumnArrays(qsizetype columns);

    // Adds a value to a column. A column is text[] when its first value is a QString (null or not), bigint[] else;
    // a null QVariant is NULL.
    void add(qsizetype column, const QVariant& value);
    // "SELECT * FROM unnest(...)", one placeholder per column.
    QString select() const;
    void bindTo(QSqlQuery& query) const;

private:
    struct Column
    {
        QString literal; // "{" and the elements so far
        bool text = false;
        bool typed = false;
    };
    QList<Column> m_columns;
};
