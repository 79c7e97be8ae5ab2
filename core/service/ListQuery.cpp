#include "service/ListQuery.h"

#include "common/ApiErrors.h"
#include "storage/Database.h"

namespace {

Error badParameter(const QString& name, const QString& message)
{
    return ApiErrors::invalid(QStringLiteral("query parameter '%1' %2").arg(name, message));
}

} // namespace

Result<ListQuery> ListQuery::parse(const QUrlQuery& query, const Spec& spec)
{
    ListQuery list;
    QString sort = spec.defaultSort;
    for (const auto& [name, value] : query.queryItems(QUrl::FullyDecoded)) {
        bool ok = false;
        if (name == QLatin1String("page")) {
            list.m_page = value.toInt(&ok);
            if (!ok || list.m_page < 1 || list.m_page > kMaxPage)
                return badParameter(name, QStringLiteral("must be a whole number from 1 to %1").arg(kMaxPage));
        } else if (name == QLatin1String("pageSize")) {
            list.m_pageSize = value.toInt(&ok);
            if (!ok || list.m_pageSize < 1 || list.m_pageSize > kMaxPageSize)
                return badParameter(name, QStringLiteral("must be a whole number from 1 to %1").arg(kMaxPageSize));
        } else if (name == QLatin1String("sort")) {
            const QString field = value.startsWith(u'-') ? value.mid(1) : value;
            if (!spec.sortColumns.contains(field)) {
                QStringList fields = spec.sortColumns.keys();
                fields.sort();
                return badParameter(name, QStringLiteral("must be one of %1, optionally with a leading '-'")
                                              .arg(fields.join(QStringLiteral(", "))));
            }
            sort = value;
        } else if (name == QLatin1String("q") && !spec.searchColumn.isEmpty()) {
            if (value.size() > kMaxSearchLength)
                return badParameter(name, QStringLiteral("must be at most %1 characters long").arg(kMaxSearchLength));
            if (!value.isEmpty())
                list.addCondition(QStringLiteral("LOWER(%1) LIKE LOWER(?) ESCAPE '\\'").arg(spec.searchColumn),
                                  {containsPattern(value)});
        } else if (spec.idFilters.contains(name)) {
            const qint64 id = value.toLongLong(&ok);
            if (!ok || id < 1)
                return badParameter(name, QStringLiteral("must be a positive id"));
            list.addCondition(spec.idFilters.value(name) + QStringLiteral(" = ?"), {id});
        } else if (spec.flagFilters.contains(name)) {
            if (value != QLatin1String("true") && value != QLatin1String("false"))
                return badParameter(name, QStringLiteral("must be true or false"));
            list.addCondition(spec.flagFilters.value(name) + QStringLiteral(" = ?"),
                              {value == QLatin1String("true") ? 1 : 0});
        } else {
            return badParameter(name, QStringLiteral("is not known here"));
        }
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

Result<QJsonObject> ListQuery::run(Database& database, const QString& columns, const QString& from,
                                   const RowToJson& toJson) const
{
    const QString where =
        m_conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + m_conditions.join(QStringLiteral(" AND "));
    auto counted = database.exec(QStringLiteral("SELECT COUNT(*) FROM %1%2").arg(from, where), m_values);
    if (!counted)
        return counted.error();
    const qint64 total = counted->next() ? counted->value(0).toLongLong() : 0;

    QVariantList values = m_values;
    values << m_pageSize << qint64(m_page - 1) * m_pageSize;
    auto rows = database.exec(
        QStringLiteral("SELECT %1 FROM %2%3 ORDER BY %4 LIMIT ? OFFSET ?").arg(columns, from, where, m_orderBy),
        values);
    if (!rows)
        return rows.error();
    QJsonArray items;
    while (rows->next())
        items.append(toJson(*rows));
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
