#include "http/HttpStats.h"

QString httpErrorKindName(HttpErrorKind kind)
{
    switch (kind) {
    case HttpErrorKind::BadRequest:
        return QStringLiteral("bad_request");
    case HttpErrorKind::LimitExceeded:
        return QStringLiteral("limit_exceeded");
    case HttpErrorKind::Timeout:
        return QStringLiteral("timeout");
    case HttpErrorKind::ClientAbort:
        return QStringLiteral("client_abort");
    case HttpErrorKind::UpstreamConnectFailed:
        return QStringLiteral("upstream_connect_failed");
    case HttpErrorKind::UpstreamTimeout:
        return QStringLiteral("upstream_timeout");
    case HttpErrorKind::UpstreamTls:
        return QStringLiteral("upstream_tls");
    case HttpErrorKind::UpstreamReset:
        return QStringLiteral("upstream_reset");
    case HttpErrorKind::UpstreamProtocol:
        return QStringLiteral("upstream_protocol");
    case HttpErrorKind::Count:
        break;
    }
    return QStringLiteral("unknown");
}

void HttpWorkerStats::addTo(HttpStatsSnapshot& total) const
{
    constexpr auto relaxed = std::memory_order_relaxed;
    total.connectionsOpen += connectionsOpen.load(relaxed);
    total.connectionsAccepted += connectionsAccepted.load(relaxed);
    total.requests += requests.load(relaxed);
    total.bytesIn += bytesIn.load(relaxed);
    total.bytesOut += bytesOut.load(relaxed);
    total.pendingWriteBytes += pendingWriteBytes.load(relaxed);
    total.upstreamConnectionsOpened += upstreamConnectionsOpened.load(relaxed);
    total.upstreamConnectionsReused += upstreamConnectionsReused.load(relaxed);
    total.upstreamReadPauses += upstreamReadPauses.load(relaxed);
    for (size_t i = 0; i < errors.size(); ++i)
        total.errors[i] += errors[i].load(relaxed);
}
