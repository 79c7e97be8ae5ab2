#include "http/HttpWorker.h"

#include "common/Logging.h"
#include "http/EpollEventDispatcher.h"
#include "http/Graveyard.h"
#include "http/HttpConnection.h"
#include "http/SocketStream.h"
#include "http/TcpStream.h"
#include "http/UpstreamPool.h"

#include <QCoreApplication>
#include <QSslSocket>

#include <openssl/crypto.h>
#include <unistd.h>

HttpWorker::HttpWorker(int index, ConfigPtr config, HttpRequestHandlerFactory factory,
                       std::optional<QSslConfiguration> tls)
    : m_index(index), m_config(std::move(config)), m_limits(m_config->limits), m_factory(std::move(factory)),
      m_tls(std::move(tls))
{
    m_thread.setObjectName(QStringLiteral("http-worker-%1").arg(index));
}

HttpWorker::~HttpWorker()
{
    if (m_thread.isRunning()) {
        QMetaObject::invokeMethod(this, &HttpWorker::tearDown, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
}

void HttpWorker::Thread::run()
{
    exec();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    OPENSSL_thread_stop();
}

void HttpWorker::start()
{
    moveToThread(&m_thread);
    m_thread.setEventDispatcher(new EpollEventDispatcher);
    m_thread.start();
    QMetaObject::invokeMethod(this, &HttpWorker::setUp, Qt::BlockingQueuedConnection);
}

void HttpWorker::setUp()
{
    m_upstreamPool = std::make_unique<UpstreamPool>(m_limits, m_config->upstreamCaFile, m_stats);
    m_context = std::make_unique<HttpWorkerContext>(HttpWorkerContext{m_index, m_config, *m_upstreamPool, m_stats});
    m_handler = m_factory(*m_context);
    m_graveyard = std::make_unique<Graveyard>();
    m_drainTimer = new QTimer(this);
    m_drainTimer->setSingleShot(true);
    connect(m_drainTimer, &QTimer::timeout, this, [this] {
        const QList<HttpConnection*> connections = m_connections.keys();
        for (HttpConnection* connection : connections)
            connection->forceClose();
    });
}

void HttpWorker::tearDown()
{
    const QList<HttpConnection*> connections = m_connections.keys();
    for (HttpConnection* connection : connections)
        delete connection;
    m_connections.clear();
    m_graveyard.reset(); // the ended exchanges and their handlers' objects, before the handler and pool they use
    m_handler.reset();
    m_context.reset();
    m_upstreamPool.reset();
    delete m_drainTimer;
    m_drainTimer = nullptr;
}

void HttpWorker::addConnection(qintptr descriptor, std::shared_ptr<AddressLimiter::Place> place)
{
    QMetaObject::invokeMethod(
        this, [this, descriptor, place = std::move(place)] { acceptOnThread(descriptor, place); },
        Qt::QueuedConnection);
}

void HttpWorker::shutdown(int drainMs)
{
    QMetaObject::invokeMethod(
        this, [this, drainMs] { beginShutdown(drainMs); }, Qt::QueuedConnection);
}

void HttpWorker::reconfigure(ConfigPtr config, std::optional<QSslConfiguration> tls)
{
    QMetaObject::invokeMethod(
        this,
        [this, config = std::move(config), tls = std::move(tls)] {
            m_config = config;
            m_limits = config->limits;
            m_context->config = config;
            m_tls = tls;
        },
        Qt::QueuedConnection);
}

void HttpWorker::acceptOnThread(qintptr descriptor, std::shared_ptr<AddressLimiter::Place> place)
{
    m_stats.connectionsAccepted.fetch_add(1, std::memory_order_relaxed); // counted even when refused below
    if (m_draining) {
        ::close(int(descriptor));
        return;
    }
    std::unique_ptr<ByteStream> stream;
    if (m_tls) {
        auto* socket = new QSslSocket;
        if (!socket->setSocketDescriptor(descriptor)) {
            qCWarning(lcHttp) << "cannot adopt accepted socket:" << socket->errorString();
            delete socket;
            ::close(int(descriptor));
            return;
        }
        socket->setSslConfiguration(*m_tls);
        socket->startServerEncryption();
        stream = std::make_unique<SocketStream>(socket);
    } else {
        stream = std::make_unique<TcpStream>(descriptor);
    }
    auto* connection = new HttpConnection(std::move(stream), m_limits, *m_handler, m_stats, *m_graveyard, this);
    m_connections.insert(connection, std::move(place));
    connect(connection, &HttpConnection::closed, this, [this, connection] { connectionClosed(connection); });
}

void HttpWorker::beginShutdown(int drainMs)
{
    m_draining = true;
    if (m_connections.isEmpty()) {
        emit drained();
        return;
    }
    const QList<HttpConnection*> connections = m_connections.keys();
    for (HttpConnection* connection : connections)
        connection->closeWhenIdle();
    if (!m_connections.isEmpty())
        m_drainTimer->start(drainMs);
}

void HttpWorker::connectionClosed(HttpConnection* connection)
{
    m_connections.remove(connection);
    if (m_draining && m_connections.isEmpty()) {
        m_drainTimer->stop();
        emit drained();
    }
}
