#pragma once

#include "common/Histogram.h"

#include <QHash>
#include <QMutex>
#include <QString>

#include <memory>
#include <vector>

struct TraceRecord;

// What the proxy served, for /metrics: requests by provider type, status class and error kind; durations and times
// to the first byte; tokens and cost. Every label value comes from a bounded set: the provider types an admin made,
// five status classes, the gateway's own error kinds. Each worker records into a shard of its own, behind a mutex
// only a scrape also takes; a scrape sums the shards.
class ProxyMetrics
{
public:
    struct RequestKey
    {
        QString provider;    // "" for requests refused before a gateway key was known
        QString statusClass; // "2xx" ... "5xx", or "none" when the client left before a status was sent
        QString errorKind;   // "" for none
        bool operator==(const RequestKey&) const = default;
    };
    struct ProviderTotals
    {
        Histogram durations;  // whole requests
        Histogram firstBytes; // to the first byte sent to the client
        qint64 inputTokens = 0;
        qint64 outputTokens = 0;
        qint64 costMicros = 0;
    };
    struct Totals
    {
        QHash<RequestKey, qint64> requests;
        QHash<QString, ProviderTotals> providers;

        void add(const Totals& other);
    };

    class Shard
    {
    public:
        // durationSeconds: finer than the trace's milliseconds, which refusals round to 0.
        void record(const TraceRecord& trace, const QString& provider, double durationSeconds);

    private:
        friend class ProxyMetrics;
        mutable QMutex m_mutex;
        Totals m_totals;
    };

    // A shard for one worker; it lives as long as this object.
    Shard& addShard();
    Totals totals() const;

private:
    mutable QMutex m_mutex;
    std::vector<std::unique_ptr<Shard>> m_shards;
};

size_t qHash(const ProxyMetrics::RequestKey& key, size_t seed = 0);
