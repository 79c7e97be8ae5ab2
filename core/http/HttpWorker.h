#pragma once

#include "http/AddressLimiter.h"
#include "http/HttpRequestHandler.h"
#include "http/HttpStats.h"

#include <QHash>
#include <QObject>
#include <QSslConfiguration>
#include <QThread>
#include <QTimer>

#include <memory>
#include <optional>

class Graveyard;
class HttpConnection;

// One worker thread with its own event loop, its connections, its handler instance and its upstream pool.
// The public functions are thread-safe; the worker's own state is only touched on its thread.
class HttpWorker : public QObject
{
    Q_OBJECT

public:
    // `tls` is null for plain HTTP.
    HttpWorker(int index, ConfigPtr config, HttpRequestHandlerFactory factory, std::optional<QSslConfiguration> tls);
    ~HttpWorker() override; // stops the thread; in-flight requests are cut

    void start();
    // Takes the accepted socket; `place` is held until its connection closes.
    void addConnection(qintptr descriptor, std::shared_ptr<AddressLimiter::Place> place);
    // Stops taking requests: idle connections close now, busy ones after their response, all by drainMs.
    void shutdown(int drainMs);
    // A reload, on the worker's thread: the limits (which its open connections and upstream pool read), the handler's
    // configuration, and the TLS configuration of connections accepted from now on.
    void reconfigure(ConfigPtr config, std::optional<QSslConfiguration> tls);
    const HttpWorkerStats& stats() const { return m_stats; }

signals:
    void drained(); // after shutdown(): the last connection closed

private:
    // Runs the event loop, then deletes what its objects left for deletion and frees OpenSSL's state for the thread
    // (error queue, caches) while the thread still runs. QThread::wait() returns before a thread's exit handlers run,
    // and OpenSSL frees that state in one: the process could exit first, and the state would leak.
    class Thread : public QThread
    {
    protected:
        void run() override;
    };

    void setUp();
    void tearDown();
    void acceptOnThread(qintptr descriptor, std::shared_ptr<AddressLimiter::Place> place);
    void beginShutdown(int drainMs);
    void connectionClosed(HttpConnection* connection);

    int m_index;
    ConfigPtr m_config;
    HttpLimits m_limits; // of m_config; read by reference by the connections and the upstream pool
    HttpRequestHandlerFactory m_factory;
    std::optional<QSslConfiguration> m_tls;
    HttpWorkerStats m_stats;
    Thread m_thread;
    std::unique_ptr<UpstreamPool> m_upstreamPool;
    std::unique_ptr<HttpWorkerContext> m_context;
    std::unique_ptr<HttpRequestHandler> m_handler;
    std::unique_ptr<Graveyard> m_graveyard;
    QHash<HttpConnection*, std::shared_ptr<AddressLimiter::Place>> m_connections;
    QTimer* m_drainTimer = nullptr;
    bool m_draining = false;
};
