#pragma once

#include "common/Histogram.h"
#include "health/KeyHealthSnapshot.h"
#include "http/HttpStats.h"
#include "proxy/ProxyMetrics.h"

#include <QByteArray>
#include <QList>
#include <QPair>

// Everything GET /metrics shows, gathered by GatewayService at the scrape, and its Prometheus text. Names follow
// Prometheus conventions: the gatehouse_ prefix, base units (seconds, bytes), _total on counters, and label values
// from bounded sets only (provider types, status classes, error kinds, provider key ids) — never request ids,
// paths or models.
struct MetricsReport
{
    ProxyMetrics::Totals proxy;
    HttpStatsSnapshot engine;
    QList<QPair<qint64, KeyHealthSnapshot>> keys; // by provider key id
    qint64 tracesQueued = 0;
    quint64 tracesWritten = 0;
    quint64 tracesFailed = 0;
    quint64 tracesDropped = 0;
    quint64 traceBatchesRefused = 0;
    Histogram traceBatches;
    bool redisConfigured = false;
    bool redisUp = false;
    bool databaseUp = false;
    qint64 startTimeSeconds = 0;
    qint64 residentBytes = 0;

    QByteArray text() const;
};
