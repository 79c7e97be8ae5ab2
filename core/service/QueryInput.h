#pragma once

#include "common/Result.h"

#include <QSet>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

// Reads the query parameters of a GET request with strict checks, collecting every problem (the query-string
// twin of JsonInput):
//
//     QueryInput in(request.query);
//     const auto pageSize = in.integer("pageSize", 1, 500);
//     const auto from = in.time("from");
//     if (auto error = in.error()) return *error;   // unknown and repeated parameters, every bad value
//
// Absent parameters come back as std::nullopt; so do bad ones (and error() names them).
class QueryInput
{
public:
    explicit QueryInput(const QUrlQuery& query);

    std::optional<qint64> integer(const QString& name, qint64 minimum, qint64 maximum);
    std::optional<qint64> id(const QString& name); // a positive id
    // ISO 8601 ("2026-11-26T18:00:00Z"; UTC when no offset is given) or milliseconds since the epoch.
    std::optional<qint64> time(const QString& name);
    std::optional<QString> text(const QString& name, int maxLength = 200, int minLength = 1);
    std::optional<bool> boolean(const QString& name); // true/false/1/0
    std::optional<QString> oneOf(const QString& name, const QStringList& allowed);

    // Records a problem found by the caller's own parsing of a parameter.
    void reject(const QString& name, const QString& message);

    // invalid_argument naming every problem (unknown parameters included), or nothing when all was well.
    std::optional<Error> error() const;

private:
    std::optional<QString> value(const QString& name);

    QUrlQuery m_query;
    QSet<QString> m_known;
    QStringList m_problems;
};
