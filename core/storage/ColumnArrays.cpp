#include "storage/ColumnArrays.h"

#include <utility>

namespace {

const QString& arrayPlaceholder(qsizetype column)
{
    static const QStringList names = [] {
        QStringList all;
        for (int i = 0; i < 128; ++i)
            all << QStringLiteral(":a%1").arg(i);
        return all;
    }();
    return names.at(column);
}

} // namespace

ColumnArrays::ColumnArrays(qsizetype columns) : m_columns(columns)
{
    Q_ASSERT(columns <= 128);
    for (Column& column : m_columns)
        column.literal = QStringLiteral("{");
}

void ColumnArrays::add(qsizetype column, const QVariant& value)
{
    Column& c = m_columns[column];
    if (!c.typed) {
        c.text = value.metaType() == QMetaType::fromType<QString>();
        c.typed = true;
    }
    Q_ASSERT(value.metaType() == QMetaType::fromType<QString>() ? c.text : !c.text);
    if (column == 0)
        ++m_rows;
    if (c.literal.size() > 1)
        c.literal += QLatin1Char(',');
    if (value.isNull()) {
        c.literal += QLatin1String("NULL");
    } else if (c.text) {
        // Always quoted (an empty text, or the word NULL, is then a text); only '"' and '\' are escaped in quotes.
        c.literal += QLatin1Char('"');
        for (const QChar ch : value.toString()) {
            if (ch == QLatin1Char('"') || ch == QLatin1Char('\\'))
                c.literal += QLatin1Char('\\');
            c.literal += ch;
        }
        c.literal += QLatin1Char('"');
    } else {
        c.literal += QString::number(value.toLongLong());
    }
}

QString ColumnArrays::select() const
{
    QStringList arrays;
    for (qsizetype i = 0; i < m_columns.size(); ++i)
        arrays << QStringLiteral("CAST(%1 AS %2[])")
                      .arg(arrayPlaceholder(i), m_columns.at(i).text ? QLatin1String("text") : QLatin1String("bigint"));
    return QStringLiteral("SELECT * FROM unnest(%1)").arg(arrays.join(QStringLiteral(", ")));
}

void ColumnArrays::bindTo(QSqlQuery& query)
{
    for (qsizetype i = 0; i < m_columns.size(); ++i) {
        QString& literal = m_columns[i].literal;
        literal += QLatin1Char('}');
        query.bindValue(arrayPlaceholder(i), std::exchange(literal, {}));
    }
}
