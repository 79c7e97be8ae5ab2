#include "service/PageQuery.h"

#include "common/ApiErrors.h"

namespace {

std::optional<int> boundedNumber(const QString& text, int minimum, int maximum)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < minimum || value > maximum)
        return std::nullopt;
    return value;
}

} // namespace

Result<PageQuery> PageQuery::parse(const QUrlQuery& query, const QHash<QString, QString>& sortColumns,
                                   const QString& defaultSort, const QStringList& filters)
{
    QStringList problems;
    for (const auto& [name, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (name != QLatin1String("page") && name != QLatin1String("pageSize") && name != QLatin1String("sort") &&
            !filters.contains(name))
            problems << QStringLiteral("'%1' is not a known query parameter").arg(name);
    }
    PageQuery result;
    if (query.hasQueryItem(QStringLiteral("page"))) {
        const auto page = boundedNumber(query.queryItemValue(QStringLiteral("page")), 1, 1'000'000);
        if (page)
            result.page = *page;
        else
            problems << QStringLiteral("'page' must be a whole number from 1 to 1000000");
    }
    if (query.hasQueryItem(QStringLiteral("pageSize"))) {
        const auto size = boundedNumber(query.queryItemValue(QStringLiteral("pageSize")), 1, kMaxPageSize);
        if (size)
            result.pageSize = *size;
        else
            problems << QStringLiteral("'pageSize' must be a whole number from 1 to %1").arg(kMaxPageSize);
    }
    QString sort = query.queryItemValue(QStringLiteral("sort"), QUrl::FullyDecoded);
    if (sort.isEmpty())
        sort = defaultSort;
    const bool descending = sort.startsWith(QLatin1Char('-'));
    const QString field = descending ? sort.mid(1) : sort;
    if (!sortColumns.contains(field)) {
        QStringList fields = sortColumns.keys();
        fields.sort();
        problems << QStringLiteral("'sort' must be one of %1, optionally with a leading '-'")
                        .arg(fields.join(QStringLiteral(", ")));
    } else {
        result.orderBy = sortColumns.value(field) + (descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC"));
    }
    if (!problems.isEmpty())
        return ApiErrors::invalid(problems.join(QStringLiteral("; ")));
    return result;
}

QJsonObject PageQuery::reply(const QJsonArray& items, qint64 total) const
{
    return QJsonObject{{QStringLiteral("items"), items},
                       {QStringLiteral("page"), page},
                       {QStringLiteral("pageSize"), pageSize},
                       {QStringLiteral("total"), total}};
}
