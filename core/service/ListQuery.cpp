#include "service/ListQuery.h"

#include "service/QueryInput.h"
#include "storage/Database.h"

Result<QJsonObject> ListQuery::page(Database& database, const QUrlQuery& query, const Spec& spec)
{
    QueryInput in(query);
    const ListQuery list = read(in, spec);
    if (auto error = in.error())
        return *error;
    return list.run(database);
}

ListQuery ListQuery::read(QueryInput& in, const Spec& spec)
{
    ListQuery list;
    list.m_columns = spec.columns;
    list.m_from = spec.from;
    list.m_toJson = spec.toJson;
    for (const QString& condition : spec.where)
        list.addCondition(condition);
    list.m_page = int(in.integer(QStringLiteral("page"), 1, kMaxPage).value_or(1));
    list.m_pageSize = int(in.integer(QStringLiteral("pageSize"), 1, kMaxPageSize).value_or(kDefaultPageSize));
    QString sort = spec.defaultSort;
    if (const auto value = in.text(QStringLiteral("sort"), 100)) {
        if (spec.sortColumns.contains(value->startsWith(u'-') ? value->mid(1) : *value)) {
            sort = *value;
        } else {
            QStringList fields = spec.sortColumns.keys();
            fields.sort();
            in.reject(QStringLiteral("sort"), QStringLiteral("must be one of %1, optionally with a leading '-'")
                                                  .arg(fields.join(QStringLiteral(", "))));
        }
    }
    if (!spec.searchColumn.isEmpty()) {
        if (const auto text = in.text(QStringLiteral("q"), kMaxSearchLength, 0); text && !text->isEmpty())
            list.addCondition(QStringLiteral("LOWER(%1) LIKE LOWER(?) ESCAPE '\\'").arg(spec.searchColumn),
                              {containsPattern(*text)});
    }
    for (auto it = spec.idFilters.begin(); it != spec.idFilters.end(); ++it) {
        if (const auto id = in.id(it.key()))
            list.addCondition(it.value() + QStringLiteral(" = ?"), {*id});
    }
    for (auto it = spec.flagFilters.begin(); it != spec.flagFilters.end(); ++it) {
        if (const auto flag = in.boolean(it.key()))
            list.addCondition(it.value() + QStringLiteral(" = ?"), {*flag ? 1 : 0});
    }
    for (auto it = spec.textFilters.begin(); it != spec.textFilters.end(); ++it) {
        if (const auto text = in.text(it.key()))
            list.addCondition(it.value() + QStringLiteral(" = ?"), {*text});
    }
    const bool descending = sort.startsWith(u'-');
    list.m_orderBy = QStringLiteral("%1 %2, %3 %2")
                         .arg(spec.sortColumns.value(descending ? sort.mid(1) : sort),
                              descending ? QStringLiteral("DESC") : QStringLiteral("ASC"), spec.idColumn);
    return list;
}

void ListQuery::addCondition(const QString& clause, const QVariantList& values)
{
    m_conditions << QStringLiteral("(%1)").arg(clause);
    m_values << values;
}

Result<QJsonObject> ListQuery::run(Database& database) const
{
    const QString where =
        m_conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + m_conditions.join(QStringLiteral(" AND "));
    auto counted = database.exec(QStringLiteral("SELECT COUNT(*) FROM %1%2").arg(m_from, where), m_values);
    if (!counted)
        return counted.error();
    const qint64 total = counted->next() ? counted->value(0).toLongLong() : 0;

    QVariantList values = m_values;
    values << m_pageSize << qint64(m_page - 1) * m_pageSize;
    auto rows = database.exec(
        QStringLiteral("SELECT %1 FROM %2%3 ORDER BY %4 LIMIT ? OFFSET ?").arg(m_columns, m_from, where, m_orderBy),
        values);
    if (!rows)
        return rows.error();
    QJsonArray items;
    while (rows->next())
        items.append(m_toJson(*rows));
    return QJsonObject{{QStringLiteral("items"), items},
                       {QStringLiteral("page"), m_page},
                       {QStringLiteral("pageSize"), m_pageSize},
                       {QStringLiteral("total"), total}};
}

QString ListQuery::containsPattern(const QString& text)
{
    QString escaped = text;
    escaped.replace(u'\\', QStringLiteral("\\\\"))
        .replace(u'%', QStringLiteral("\\%"))
        .replace(u'_', QStringLiteral("\\_"));
    return u'%' + escaped + u'%';
}
