#include "http/UpstreamPool.h"

#include "common/Logging.h"
#include "http/HttpStats.h"
#include "http/SocketStream.h"
#include "http/TcpStream.h"
#include "http/UpstreamConnection.h"
#include "http/UpstreamExchange.h"

#include <QSslSocket>

UpstreamPool::UpstreamPool(const HttpLimits& limits, const QString& extraCaFile, HttpWorkerStats& stats,
                           QObject* parent)
    : QObject(parent), m_limits(limits), m_stats(stats), m_sslConfiguration(QSslConfiguration::defaultConfiguration())
{
    m_sslConfiguration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!extraCaFile.isEmpty()) {
        const QList<QSslCertificate> extra = QSslCertificate::fromPath(extraCaFile, QSsl::Pem);
        if (extra.isEmpty())
            qCWarning(lcHttp) << "no CA certificate found in upstream CA file" << extraCaFile;
        m_sslConfiguration.addCaCertificates(extra);
    }
}

UpstreamPool::~UpstreamPool()
{
    for (const auto& connections : std::as_const(m_idle))
        qDeleteAll(connections);
}

std::unique_ptr<UpstreamExchange> UpstreamPool::start(UpstreamRequest request, UpstreamExchange::Listener* listener)
{
    std::unique_ptr<UpstreamExchange> exchange(new UpstreamExchange(*this, std::move(request), listener));
    exchange->begin();
    return exchange;
}

int UpstreamPool::idleConnectionCount() const
{
    int count = 0;
    for (const auto& connections : m_idle)
        count += int(connections.size());
    return count;
}

UpstreamConnection* UpstreamPool::takeIdle(const QString& key)
{
    auto it = m_idle.find(key);
    while (it != m_idle.end() && !it->isEmpty()) {
        UpstreamConnection* connection = it->takeLast(); // the most recently used is the least likely to be stale
        connection->unpark();
        if (connection->isReusable()) {
            m_stats.upstreamConnectionsReused.fetch_add(1, std::memory_order_relaxed);
            return connection;
        }
        connection->retire();
    }
    return nullptr;
}

UpstreamConnection* UpstreamPool::open(const UpstreamOrigin& origin)
{
    std::unique_ptr<ByteStream> stream;
    if (origin.tls) {
        auto* socket = new QSslSocket;
        socket->setSslConfiguration(m_sslConfiguration);
        socket->connectToHostEncrypted(origin.host, origin.port);
        stream = std::make_unique<SocketStream>(socket);
    } else {
        stream = std::make_unique<TcpStream>(origin.host, origin.port);
    }
    m_stats.upstreamConnectionsOpened.fetch_add(1, std::memory_order_relaxed);
    auto* connection = new UpstreamConnection(origin.poolKey, std::move(stream));
    connect(connection, &UpstreamConnection::idleEnded, this, &UpstreamPool::dropIdle);
    return connection;
}

void UpstreamPool::release(UpstreamConnection* connection)
{
    connection->park(m_limits.upstreamIdleTimeoutMs);
    m_idle[connection->key()].append(connection);
}

void UpstreamPool::dropIdle(UpstreamConnection* connection)
{
    auto it = m_idle.find(connection->key());
    if (it != m_idle.end())
        it->removeOne(connection);
    connection->retire();
}
