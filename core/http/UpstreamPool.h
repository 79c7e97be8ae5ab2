#pragma once

#include "config/Config.h"
#include "http/UpstreamExchange.h"
#include "http/UpstreamRequest.h"

#include <QHash>
#include <QObject>
#include <QSslConfiguration>

#include <memory>

class UpstreamConnection;
struct HttpWorkerStats;

// The upstream HTTP/1.1 client of one worker thread: keep-alive connections per (scheme, host, port), plain TCP on
// the descriptor (TcpStream) or TLS through QSslSocket (system CAs plus Config::upstreamCaFile, peer verification
// on). Not thread-safe: use it from the worker that owns it.
class UpstreamPool : public QObject
{
    Q_OBJECT

public:
    UpstreamPool(const HttpLimits& limits, const QString& extraCaFile, HttpWorkerStats& stats,
                 QObject* parent = nullptr);
    ~UpstreamPool() override;

    // Sends the request; the exchange reports to `listener`, never before this returns. Deleting it aborts the request.
    std::unique_ptr<UpstreamExchange> start(UpstreamRequest request, UpstreamExchange::Listener* listener);

    int idleConnectionCount() const;
    const HttpLimits& limits() const { return m_limits; }
    HttpWorkerStats& stats() const { return m_stats; }

private:
    friend class UpstreamExchange;

    UpstreamConnection* takeIdle(const QString& key);
    UpstreamConnection* open(const UpstreamOrigin& origin);
    void release(UpstreamConnection* connection);
    void dropIdle(UpstreamConnection* connection);

    const HttpLimits& m_limits;
    HttpWorkerStats& m_stats;
    QSslConfiguration m_sslConfiguration;
    QHash<QString, QList<UpstreamConnection*>> m_idle;
};
