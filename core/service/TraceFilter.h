#pragma once

#include <QString>
#include <QStringList>
#include <QVariantList>

#include <functional>
#include <optional>

// Which traces a listing or a statistic covers. Every field is optional; set fields are ANDed. Turned into SQL
// only through where(), with every value bound, never spliced.
struct TraceFilter
{
    std::optional<qint64> fromMs; // inclusive
    std::optional<qint64> toMs;   // exclusive
    qint64 gatewayKeyId = 0;
    qint64 providerKeyId = 0;
    qint64 userId = 0;
    QString model;
    std::optional<int> status;      // exact HTTP status (0: the client left before one was sent)
    std::optional<int> statusClass; // 1..5 for 1xx..5xx
    std::optional<bool> success;
    QString errorKind;

    // Parses "200" or "5xx" into status or statusClass; false when it is neither.
    bool setStatus(const QString& text);

    // Conditions on the traces table (alias-free column names) and their values, to AND into a WHERE clause.
    struct Sql
    {
        QStringList conditions;
        QVariantList values;

        void add(const QString& condition, const QVariantList& conditionValues = {});
        QString whereClause() const; // "" or " WHERE a AND b"
    };
    Sql where() const;
};

// Sees each statement a trace or statistics query runs, before it runs; the trace benchmark EXPLAINs them.
using TraceStatementObserver = std::function<void(const QString& sql, const QVariantList& values)>;
