#pragma once

#include <QSqlQuery>
#include <QString>
#include <QStringList>
#include <QVariant>

// Many rows sent to PostgreSQL as one array per column, which the statement turns back into rows:
//     INSERT INTO t (a, b) SELECT * FROM unnest(CAST(:a0 AS bigint[]), CAST(:a1 AS text[]))
// QtSql's PostgreSQL driver sends each bound value as a literal of an EXECUTE statement, which the server parses
// and evaluates one by one: that was most of the trace writer's time on PostgreSQL. As arrays, a batch is one
// statement of a few dozen literals. unnest() yields the rows in the order they were added. Callers split large
// batches (kMaxRows): a batch kept while the database was away can hold 200,000 traces, and one literal of it all
// would cost hundreds of megabytes on both sides (PostgreSQL refuses a literal past 512 MB).
class ColumnArrays
{
public:
    static constexpr qsizetype kMaxRows = 5000;

    explicit ColumnArrays(qsizetype columns);

    // Adds a value to a column. A column is text[] when its first value is a QString (null or not), bigint[] else;
    // a null QVariant is NULL. Add a value to every column for each row.
    void add(qsizetype column, const QVariant& value);
    qsizetype rows() const { return m_rows; }
    // "SELECT * FROM unnest(...)", one named placeholder per column (QtSql formats a name for every positional bind).
    QString select() const;
    // Binds the arrays; the columns are closed and can take no further value.
    void bindTo(QSqlQuery& query);

private:
    struct Column
    {
        QString literal; // "{" and the elements so far
        bool text = false;
        bool typed = false;
    };
    QList<Column> m_columns;
    qsizetype m_rows = 0;
};
