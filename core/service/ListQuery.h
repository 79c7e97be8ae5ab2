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

// One page of a list endpoint: `?page=1&pageSize=50&sort=-createdAt&q=text&<filter>=value`. Only whitelisted sort
// fields and filters are accepted, unknown parameters are refused, and user text reaches SQL only as bound values.
// An endpoint without parameters of its own is one call:
//
//     return ListQuery::page(database, query, {.columns = "k.id, k.name", .from = "provider_keys k",
//                                              .where = {"k.deleted_at IS NULL"}, .toJson = keyJson,
//                                              .sortColumns = {{"name", "k.name"}}, .defaultSort = "name",
//                                              .idColumn = "k.id", .searchColumn = "k.name"});
//
// One with parameters of its own reads them through the same QueryInput, which collects every problem:
//
//     QueryInput in(query);
//     ListQuery list = ListQuery::read(in, spec);
//     if (const auto from = in.time("from")) list.addCondition("created_at >= ?", {*from});
//     if (auto error = in.error()) return *error;
//     return list.run(database);  // {"items":[...],"page":..,"pageSize":..,"total":..}
class ListQuery
{
public:
    static constexpr int kDefaultPageSize = 50;
    static constexpr int kMaxPageSize = 500;
    static constexpr int kMaxPage = 1'000'000;
    static constexpr int kMaxSearchLength = 100;

    using RowToJson = std::function<QJsonObject(const QSqlQuery&)>;

    struct Spec
    {
        QString columns = {};                     // SELECT list
        QString from = {};                        // table or join
        QStringList where = {};                   // fixed conditions, e.g. "k.deleted_at IS NULL"
        RowToJson toJson = {};                    // one row as an item
        QHash<QString, QString> sortColumns = {}; // API field -> SQL column
        QString defaultSort = {};                 // "field" or "-field"
        QString idColumn = {};                    // tie-breaker so pages are stable
        QHash<QString, QString> idFilters = {};   // ?providerTypeId=3 -> column = 3
        QHash<QString, QString> flagFilters = {}; // ?active=true -> column = 1
        QHash<QString, QString> textFilters = {}; // ?role=admin -> column = 'admin'
        QString searchColumn = {};                // ?q= searches it case-insensitively; empty: no search
    };

    // The page `query` asks for, of a list that has no parameters of its own.
    static Result<QJsonObject> page(Database& database, const QUrlQuery& query, const Spec& spec);

    // Problems go to `in`, whose error() the caller checks.
    static ListQuery read(QueryInput& in, const Spec& spec);

    // An extra condition with `?` placeholders (e.g. the caller's own rows only).
    void addCondition(const QString& clause, const QVariantList& values = {});

    Result<QJsonObject> run(Database& database) const;

    // `text` as a LIKE pattern that matches it anywhere, its wildcards escaped (use with ESCAPE '\').
    static QString containsPattern(const QString& text);

private:
    QString m_columns;
    QString m_from;
    RowToJson m_toJson;
    int m_page = 1;
    int m_pageSize = kDefaultPageSize;
    QString m_orderBy;
    QStringList m_conditions;
    QVariantList m_values;
};
