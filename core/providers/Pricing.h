#pragma once

#include "providers/ModelPrice.h"
#include "providers/Usage.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

// The cost of a response from the model_pricing rows; immutable, built once per routing snapshot. For a provider
// and model the row with the exact model name wins, else the longest matching pattern. Costs are integer
// micro-dollars, rounded to the nearest micro-dollar per response.
class Pricing
{
public:
    explicit Pricing(const QList<ModelPrice>& rows = {});

    const ModelPrice* find(const QString& provider, const QString& model) const; // nullptr: no price known
    std::optional<qint64> costMicros(const QString& provider, const Usage& usage) const;

    // Usage priced with one row: input tokens not read from or written to the cache at the input price, cache reads
    // and writes at theirs, completion tokens at the output price.
    static qint64 costMicros(const ModelPrice& price, const Usage& usage);

    // "2.50" dollars per million tokens -> 2'500'000; nullopt for anything but a non-negative decimal with at most
    // six decimals. Exact, unlike going through a double.
    static std::optional<qint64> microsFromDollars(const QString& dollars);

private:
    static bool matches(const QString& pattern, const QString& model);

    QHash<QString, QHash<QString, ModelPrice>> m_exact; // by provider, then model: no key is built per lookup
    QHash<QString, QList<ModelPrice>> m_patterns;       // by provider, longest pattern first
};
