#pragma once

#include "common/Result.h"
#include "http/AddressLimiter.h"
#include "http/HttpRequestHandler.h"
#include "http/HttpStats.h"

#include <QObject>

#include <memory>
#include <vector>

class HttpAcceptor;
class HttpWorker;

// The proxy listener: accepts on Config::proxy (TLS when Config::tlsCertificateFile and tlsPrivateKeyFile are set)
// and deals connections round robin to Config::effectiveWorkers() worker threads, each with its own handler from
// the factory. Over limits.maxConnections in all, or limits.maxConnectionsPerAddress from one address, a new
// connection is closed at once.
class HttpServer : public QObject
{
    Q_OBJECT

public:
    HttpServer(ConfigPtr config, HttpRequestHandlerFactory factory, QObject* parent = nullptr);
    ~HttpServer() override; // cuts whatever is in flight; use shutdown() first for a graceful stop

    Result<void> listen();
    // A reload (ConfigLoader::changes: the listener, the workers and the upstream CA stay as they are): limits and
    // timeouts apply to open connections from their next wait on, a new TLS certificate to new connections. Nothing
    // changes when the TLS files cannot be read.
    Result<void> reconfigure(ConfigPtr config);
    quint16 serverPort() const;
    void close(); // stops accepting; open connections go on
    // Stops accepting, lets in-flight requests finish, closes idle keep-alive connections at once and cuts the rest
    // after drainMs. Emits stopped() when no connection is left.
    void shutdown(int drainMs);

    HttpStatsSnapshot stats() const;

signals:
    void stopped();

private:
    void dispatch(qintptr descriptor);

    ConfigPtr m_config;
    HttpRequestHandlerFactory m_factory;
    HttpAcceptor* m_acceptor;
    AddressLimiter m_addresses; // before the workers, whose connections hold places in it
    std::vector<std::unique_ptr<HttpWorker>> m_workers;
    size_t m_next = 0;
    qint64 m_dispatched = 0;
    int m_drainedWorkers = 0;
};
