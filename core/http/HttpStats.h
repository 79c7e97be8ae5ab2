#pragma once

#include <QString>

#include <array>
#include <atomic>

// What went wrong, for the error counters.
enum class HttpErrorKind {
    BadRequest,    // malformed or smuggling-shaped request: 400
    LimitExceeded, // 413 / 414 / 431
    Timeout,       // header or body timeout: 408
    ClientAbort,   // client left before its response ended
    UpstreamConnectFailed,
    UpstreamTimeout,
    UpstreamTls,
    UpstreamReset,
    UpstreamProtocol,
    Count
};

QString httpErrorKindName(HttpErrorKind kind);

// A plain copy of the counters, summed over workers. The connection counts enforce limits.max_connections; the
// others are read by tests only until the metrics endpoint (the operations issue) exposes them.
struct HttpStatsSnapshot
{
    qint64 connectionsOpen = 0;
    qint64 connectionsAccepted = 0; // handed to a worker, including the ones it refused
    qint64 requests = 0;
    qint64 bytesIn = 0;
    qint64 bytesOut = 0;
    qint64 pendingWriteBytes = 0; // accepted for clients but not yet handed to the kernel
    qint64 upstreamConnectionsOpened = 0;
    qint64 upstreamConnectionsReused = 0;
    qint64 upstreamReadPauses = 0; // times reading an upstream stopped because its client was slow
    std::array<qint64, size_t(HttpErrorKind::Count)> errors{};

    qint64 error(HttpErrorKind kind) const { return errors[size_t(kind)]; }
};

// Counters of one worker, written only by its thread and read by anyone.
struct HttpWorkerStats
{
    std::atomic<qint64> connectionsOpen{0};
    std::atomic<qint64> connectionsAccepted{0};
    std::atomic<qint64> requests{0};
    std::atomic<qint64> bytesIn{0};
    std::atomic<qint64> bytesOut{0};
    std::atomic<qint64> pendingWriteBytes{0};
    std::atomic<qint64> upstreamConnectionsOpened{0};
    std::atomic<qint64> upstreamConnectionsReused{0};
    std::atomic<qint64> upstreamReadPauses{0};
    std::array<std::atomic<qint64>, size_t(HttpErrorKind::Count)> errors{};

    void countError(HttpErrorKind kind) { errors[size_t(kind)].fetch_add(1, std::memory_order_relaxed); }
    void addTo(HttpStatsSnapshot& total) const;
};
