#pragma once

#include "common/Result.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>
#include <QUrlQuery>

// The paging and sorting part of a list request: ?page=1&pageSize=50&sort=field or -field. Sort fields map to
// whitelisted SQL columns, so user text never reaches the SQL. Unknown query parameters are refused, so a typo
// in a filter does not silently list everything.
struct PageQuery
{
    static constexpr int kDefaultPageSize = 50;
    static constexpr int kMaxPageSize = 500;

    int page = 1;
    int pageSize = kDefaultPageSize;
    QString orderBy; // SQL, e.g. "u.username ASC"

    // sortColumns: API field -> SQL column; defaultSort like "username" or "-createdAt";
    // filters: the other query parameters the endpoint knows.
    static Result<PageQuery> parse(const QUrlQuery& query, const QHash<QString, QString>& sortColumns,
                                   const QString& defaultSort, const QStringList& filters);

    int offset() const { return (page - 1) * pageSize; }
    // {"items":[...],"page":1,"pageSize":50,"total":N}
    QJsonObject reply(const QJsonArray& items, qint64 total) const;
};
