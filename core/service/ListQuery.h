#pragma once

#include "common/Result.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>
#include <QStringList>
#include <QUrlQuery>
#include <QVariantList>

#include <functional>

class Database;
class QueryInput;

// One page of a list endpoint: `?page=1&pageSize=50&sort=-createdAt&q=text&<filter>=value`, read through the
// endpoint's QueryInput, which collects every problem and refuses unknown parameters. Only whitelisted sort fields
// and filters are accepted, and user text reaches SQL only as bound values:
//
//     QueryInput in(query);
//     ListQuery list = ListQuery::read(in, {.sortColumns = {{"name", "k.name"}}, .defaultSort = "name",
//                                           .idColumn = "k.id", .idFilters = {{"providerTypeId",
//                                           "k.provider_type_id"}}, .searchColumn = "k.name"});
//     if (auto error = in.error()) return *error;      // after reading the endpoint's own parameters, if any
//     list.addCondition("k.deleted_at IS NULL");
//     return list.run(database, "k.id, k.name", "provider_keys k", toJson);  // {"items":[...],"page":..,"total":..}
class ListQuery
{
public:
    static constexpr int kDefaultPageSize = 50;
    static constexpr int kMaxPageSize = 500;
    static constexpr int kMaxPage = 1'000'000;
    static constexpr int kMaxSearchLength = 100;

    struct Spec
    {
        QHash<QString, QString> sortColumns = {}; // API field -> SQL column
        QString defaultSort = {};                 // "field" or "-field"
        QString idColumn = {};                    // tie-breaker so pages are stable
        QHash<QString, QString> idFilters = {};   // ?providerTypeId=3 -> column = 3
        QHash<QString, QString> flagFilters = {}; // ?active=true -> column = 1
        QHash<QString, QString> textFilters = {}; // ?role=admin -> column = 'admin'
        QString searchColumn = {};                // ?q= searches it case-insensitively; empty: no search
    };

    // Problems go to `in`, whose error() the caller checks.
    static ListQuery read(QueryInput& in, const Spec& spec);

    // An extra condition with `?` placeholders (e.g. the caller's own rows only).
    void addCondition(const QString& clause, const QVariantList& values = {});

    using RowToJson = std::function<QJsonObject(const QSqlQuery&)>;
    Result<QJsonObject> run(Database& database, const QString& columns, const QString& from,
                            const RowToJson& toJson) const;

    // `text` as a LIKE pattern that matches it anywhere, its wildcards escaped (use with ESCAPE '\').
    static QString containsPattern(const QString& text);

private:
    int m_page = 1;
    int m_pageSize = kDefaultPageSize;
    QString m_orderBy;
    QStringList m_conditions;
    QVariantList m_values;
};
