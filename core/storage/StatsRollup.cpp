#include "storage/StatsRollup.h"

#include "common/Durations.h"
#include "storage/ColumnArrays.h"

#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <vector>

namespace {

QStringList histogramNames()
{
    QStringList names;
    for (const char* metric : {"duration", "ttfb"}) {
        for (const int bound : StatsRollup::kLatencyBoundsMs)
            names << QStringLiteral("%1_le_%2").arg(QLatin1String(metric)).arg(bound);
    }
    return names;
}

constexpr size_t kSums = 10, kDurations = kSums + 2, kFirstBytes = kDurations + StatsRollup::kLatencyBoundsMs.size();

// Counts the value in the first bucket whose bound holds it (none past the last bound). Batches keep a count per
// bucket; forEach() hands out the cumulative counts the tables store.
void observe(StatsRollup::Values& values, size_t offset, qint64 valueMs)
{
    const auto& bounds = StatsRollup::kLatencyBoundsMs;
    const auto bucket = size_t(std::lower_bound(bounds.begin(), bounds.end(), valueMs) - bounds.begin());
    if (bucket < bounds.size())
        ++values[offset + bucket];
}

} // namespace

const QStringList& StatsRollup::keyColumns()
{
    static const QStringList columns{QStringLiteral("breakdown"),       QStringLiteral("bucket_start"),
                                     QStringLiteral("user_id"),         QStringLiteral("gateway_key_id"),
                                     QStringLiteral("provider_key_id"), QStringLiteral("model"),
                                     QStringLiteral("error_kind")};
    return columns;
}

const QStringList& StatsRollup::sumColumns()
{
    static const QStringList columns{QStringLiteral("requests"),           QStringLiteral("successes"),
                                     QStringLiteral("prompt_tokens"),      QStringLiteral("completion_tokens"),
                                     QStringLiteral("total_tokens"),       QStringLiteral("cache_read_tokens"),
                                     QStringLiteral("cache_write_tokens"), QStringLiteral("cost_micros"),
                                     QStringLiteral("duration_ms_sum"),    QStringLiteral("ttfb_count")};
    return columns;
}

const QStringList& StatsRollup::maxColumns()
{
    static const QStringList columns{QStringLiteral("duration_ms_max"), QStringLiteral("ttfb_ms_max")};
    return columns;
}

const QStringList& StatsRollup::histogramColumns()
{
    static const QStringList columns = histogramNames();
    return columns;
}

QStringList StatsRollup::columns()
{
    return keyColumns() + sumColumns() + maxColumns() + histogramColumns();
}

QString StatsRollup::upsertStatement(const QString& table, const QString& rows)
{
    QStringList merges;
    for (const QString& column : sumColumns() + histogramColumns())
        merges << QStringLiteral("%1 = %2.%1 + excluded.%1").arg(column, table);
    // CASE: SQLite's max() is PostgreSQL's GREATEST().
    for (const QString& column : maxColumns())
        merges
            << QStringLiteral("%1 = CASE WHEN excluded.%1 > %2.%1 THEN excluded.%1 ELSE %2.%1 END").arg(column, table);
    return QStringLiteral("INSERT INTO %1 (%2) %3 ON CONFLICT (%4) DO UPDATE SET %5")
        .arg(table, columns().join(QStringLiteral(", ")), rows, keyColumns().join(QStringLiteral(", ")),
             merges.join(QStringLiteral(", ")));
}

void StatsRollup::add(const TraceRecord& trace, const QString& model)
{
    addTo(m_minutes, trace.createdAtMs - trace.createdAtMs % kMinuteMs, trace, model);
    addTo(m_hours, trace.createdAtMs - trace.createdAtMs % kHourMs, trace, model);
}

void StatsRollup::addTo(Table& table, qint64 bucketStart, const TraceRecord& t, const QString& rolledUpModel)
{
    const qint64 user = std::max<qint64>(t.userId, 0), gatewayKey = std::max<qint64>(t.gatewayKeyId, 0);
    const qint64 providerKey = std::max<qint64>(t.providerKeyId, 0);
    const QString none = QStringLiteral("");
    const QString model = rolledUpModel.isNull() ? none : rolledUpModel;
    const QString kind = t.errorKind.isNull() ? none : t.errorKind;
    const bool streamedWithTtfb = t.streamed && t.ttfbMs >= 0;
    const qint64 sums[] = {1,
                           t.success ? 1 : 0,
                           t.tokens.prompt,
                           t.tokens.completion,
                           t.tokens.total,
                           t.tokens.cacheRead,
                           t.tokens.cacheWrite,
                           t.costMicros,
                           t.durationMs,
                           streamedWithTtfb ? 1 : 0};
    static_assert(std::size(sums) == kSums);
    Key full{Full, bucketStart, user, gatewayKey, providerKey, model, kind};
    if (!table.lastRows[0] || full != table.last) {
        const Key keys[] = {{Total, bucketStart, 0, 0, 0, none, kind},
                            {GatewayKey, bucketStart, user, gatewayKey, 0, none, kind},
                            {ProviderKey, bucketStart, 0, 0, providerKey, none, kind},
                            {Model, bucketStart, 0, 0, 0, model, kind},
                            full};
        static_assert(std::size(keys) == std::tuple_size_v<decltype(table.lastRows)>);
        for (size_t i = 0; i < std::size(keys); ++i)
            table.lastRows[i] = &table.rows[keys[i]]; // std::map keeps its elements where they are
        table.last = std::move(full);
    }
    for (Values* row : table.lastRows) {
        Values& v = *row;
        for (size_t i = 0; i < kSums; ++i)
            v[i] += sums[i];
        v[kSums] = std::max<qint64>(v[kSums], t.durationMs);
        observe(v, kDurations, t.durationMs);
        if (streamedWithTtfb) {
            v[kSums + 1] = std::max<qint64>(v[kSums + 1], t.ttfbMs);
            observe(v, kFirstBytes, t.ttfbMs);
        }
    }
}

void StatsRollup::forEach(
    const std::function<void(const QString& table, const Key& key, const Values& values)>& visit) const
{
    for (const auto& [table, rows] :
         {std::pair{QStringLiteral("stats_minute"), &m_minutes}, std::pair{QStringLiteral("stats_hour"), &m_hours}}) {
        for (const auto& [key, counts] : rows->rows) {
            Values values = counts;
            for (const size_t histogram : {kDurations, kFirstBytes}) {
                for (size_t i = histogram + 1; i < histogram + kLatencyBoundsMs.size(); ++i)
                    values[i] += values[i - 1];
            }
            visit(table, key, values);
        }
    }
}

Result<void> StatsRollup::write(const QSqlDatabase& connection) const
{
    // forEach's rows, in its order (minutes, then hours), as arrays (ColumnArrays): a statement per table and up to
    // ColumnArrays::kMaxRows rows.
    const qsizetype width = keyColumns().size() + qsizetype(std::tuple_size_v<Values>);
    std::vector<std::pair<QString, ColumnArrays>> statements;
    forEach([&](const QString& table, const Key& key, const Values& values) {
        if (statements.empty() || statements.back().first != table ||
            statements.back().second.rows() == ColumnArrays::kMaxRows)
            statements.emplace_back(table, ColumnArrays(width));
        ColumnArrays& arrays = statements.back().second;
        const auto& [breakdown, start, user, gatewayKey, providerKey, model, kind] = key;
        qsizetype column = 0;
        for (const QVariant& value : {QVariant(qint64(breakdown)), QVariant(start), QVariant(user),
                                      QVariant(gatewayKey), QVariant(providerKey), QVariant(model), QVariant(kind)})
            arrays.add(column++, value);
        for (const qint64 value : values)
            arrays.add(column++, value);
    });
    QSqlQuery query(connection);
    for (auto& [table, arrays] : statements) {
        if (!query.prepare(upsertStatement(table, arrays.select())))
            return Error::make(QStringLiteral("database"), query.lastError().text());
        arrays.bindTo(query);
        if (!query.exec())
            return Error::make(QStringLiteral("database"), query.lastError().text());
    }
    return {};
}
