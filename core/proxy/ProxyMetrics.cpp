#include "proxy/ProxyMetrics.h"

#include "storage/TraceRecord.h"

size_t qHash(const ProxyMetrics::RequestKey& key, size_t seed)
{
    return qHashMulti(seed, key.provider, key.statusClass, key.errorKind);
}

void ProxyMetrics::Totals::add(const Totals& other)
{
    for (auto it = other.requests.constBegin(); it != other.requests.constEnd(); ++it)
        requests[it.key()] += it.value();
    for (auto it = other.providers.constBegin(); it != other.providers.constEnd(); ++it) {
        ProviderTotals& mine = providers[it.key()];
        mine.durations.merge(it->durations);
        mine.firstBytes.merge(it->firstBytes);
        mine.inputTokens += it->inputTokens;
        mine.outputTokens += it->outputTokens;
        mine.costMicros += it->costMicros;
    }
}

void ProxyMetrics::Shard::record(const TraceRecord& trace, const QString& provider, double durationSeconds)
{
    static const QString kClasses[] = {QStringLiteral("1xx"), QStringLiteral("2xx"), QStringLiteral("3xx"),
                                       QStringLiteral("4xx"), QStringLiteral("5xx")};
    const int hundreds = trace.status / 100;
    const QString& statusClass = hundreds >= 1 && hundreds <= 5 ? kClasses[hundreds - 1] : QStringLiteral("none");
    const QMutexLocker lock(&m_mutex);
    ++m_totals.requests[RequestKey{provider, statusClass, trace.errorKind}];
    ProviderTotals& totals = m_totals.providers[provider];
    totals.durations.observe(durationSeconds);
    if (trace.ttfbMs >= 0)
        totals.firstBytes.observe(trace.ttfbMs / 1000.0);
    totals.inputTokens += trace.tokens.prompt;
    totals.outputTokens += trace.tokens.completion;
    totals.costMicros += trace.costMicros;
}

ProxyMetrics::Shard& ProxyMetrics::addShard()
{
    const QMutexLocker lock(&m_mutex);
    m_shards.push_back(std::make_unique<Shard>());
    return *m_shards.back();
}

ProxyMetrics::Totals ProxyMetrics::totals() const
{
    Totals sum;
    const QMutexLocker lock(&m_mutex);
    for (const auto& shard : m_shards) {
        const QMutexLocker shardLock(&shard->m_mutex);
        sum.add(shard->m_totals);
    }
    return sum;
}
