#include "providers/Pricing.h"

#include <algorithm>

Pricing::Pricing(const QList<ModelPrice>& rows)
{
    for (const ModelPrice& row : rows) {
        if (row.modelPattern.contains(QLatin1Char('*')))
            m_patterns[row.provider].append(row);
        else
            m_exact[row.provider].insert(row.modelPattern, row);
    }
    for (auto& list : m_patterns) {
        std::stable_sort(list.begin(), list.end(), [](const ModelPrice& a, const ModelPrice& b) {
            return a.modelPattern.size() > b.modelPattern.size();
        });
    }
}

const ModelPrice* Pricing::find(const QString& provider, const QString& model) const
{
    if (model.isEmpty())
        return nullptr;
    if (const auto models = m_exact.constFind(provider); models != m_exact.constEnd()) {
        if (const auto it = models->constFind(model); it != models->constEnd())
            return &*it;
    }
    const auto it = m_patterns.constFind(provider);
    if (it == m_patterns.constEnd())
        return nullptr;
    for (const ModelPrice& row : *it) {
        if (matches(row.modelPattern, model))
            return &row;
    }
    return nullptr;
}

std::optional<qint64> Pricing::costMicros(const QString& provider, const Usage& usage) const
{
    const ModelPrice* price = find(provider, usage.model);
    if (!price)
        return std::nullopt;
    return costMicros(*price, usage);
}

qint64 Pricing::costMicros(const ModelPrice& price, const Usage& usage)
{
    const qint64 uncached = std::max<qint64>(0, usage.tokens.prompt - usage.tokens.cacheRead - usage.tokens.cacheWrite);
    // tokens x micro-dollars per million = pico-dollars; 128 bits so that no count or price can overflow.
    const __int128 picos =
        __int128(uncached) * price.inputPerMillion +
        __int128(usage.tokens.cacheRead) * price.cacheReadPerMillion.value_or(price.inputPerMillion) +
        __int128(usage.tokens.cacheWrite) * price.cacheWritePerMillion.value_or(price.inputPerMillion) +
        __int128(usage.tokens.completion) * price.outputPerMillion;
    return qint64((picos + 500'000) / 1'000'000);
}

std::optional<qint64> Pricing::microsFromDollars(const QString& dollars)
{
    const QString text = dollars.trimmed();
    const qsizetype dot = text.indexOf(QLatin1Char('.'));
    const QString whole = dot < 0 ? text : text.left(dot);
    const QString fraction = dot < 0 ? QString() : text.mid(dot + 1);
    const auto digitsOnly = [](const QString& s) {
        return std::all_of(s.begin(), s.end(), [](QChar c) { return c >= QLatin1Char('0') && c <= QLatin1Char('9'); });
    };
    if (whole.isEmpty() || whole.size() > 12 || fraction.size() > 6 || !digitsOnly(whole) || !digitsOnly(fraction) ||
        (dot >= 0 && fraction.isEmpty()))
        return std::nullopt;
    return whole.toLongLong() * 1'000'000 + (fraction + QString(6 - fraction.size(), QLatin1Char('0'))).toLongLong();
}

// '*' matches any run of characters, including none; everything else matches itself.
bool Pricing::matches(const QString& pattern, const QString& model)
{
    qsizetype p = 0, m = 0, starP = -1, starM = 0;
    while (m < model.size()) {
        if (p < pattern.size() && pattern[p] == QLatin1Char('*')) {
            starP = p++;
            starM = m;
        } else if (p < pattern.size() && pattern[p] == model[m]) {
            ++p;
            ++m;
        } else if (starP >= 0) {
            p = starP + 1;
            m = ++starM;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == QLatin1Char('*'))
        ++p;
    return p == pattern.size();
}
