#include "http/HttpServer.h"

#include "common/Logging.h"
#include "http/HttpAcceptor.h"
#include "http/HttpWorker.h"

#include <QFile>
#include <QSslConfiguration>
#include <QSslKey>

#include <unistd.h>

namespace {

constexpr int kListenBacklog = 1024;

// Null without TLS files: plain HTTP.
Result<std::optional<QSslConfiguration>> loadTls(const Config& config)
{
    if (config.tlsCertificateFile.isEmpty() || config.tlsPrivateKeyFile.isEmpty())
        return std::optional<QSslConfiguration>();
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(config.tlsCertificateFile, QSsl::Pem);
    if (chain.isEmpty())
        return Error::make(QStringLiteral("tls_certificate"),
                           QStringLiteral("No PEM certificate in %1").arg(config.tlsCertificateFile));
    QFile keyFile(config.tlsPrivateKeyFile);
    if (!keyFile.open(QIODevice::ReadOnly))
        return Error::make(QStringLiteral("tls_key"),
                           QStringLiteral("Cannot read %1: %2").arg(config.tlsPrivateKeyFile, keyFile.errorString()));
    const QByteArray pem = keyFile.readAll();
    QSslKey key(pem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        return Error::make(QStringLiteral("tls_key"),
                           QStringLiteral("No RSA or EC private key in %1").arg(config.tlsPrivateKeyFile));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    return std::optional(tls);
}

} // namespace

HttpServer::HttpServer(ConfigPtr config, HttpRequestHandlerFactory factory, QObject* parent)
    : QObject(parent), m_config(std::move(config)), m_factory(std::move(factory)),
      m_acceptor(new HttpAcceptor([this](qintptr descriptor) { dispatch(descriptor); }, this)),
      m_addresses(m_config->limits.maxConnectionsPerAddress,
                  [this](const QHostAddress& peer) { return m_config->isTrustedProxy(peer); })
{
    m_acceptor->setListenBacklogSize(kListenBacklog);
}

HttpServer::~HttpServer()
{
    m_acceptor->close();
    m_workers.clear();
}

Result<void> HttpServer::listen()
{
    if (m_workers.empty()) {
        auto tls = loadTls(*m_config);
        if (!tls)
            return tls.error();
        const int count = qMax(1, m_config->effectiveWorkers());
        for (int i = 0; i < count; ++i) {
            m_workers.push_back(std::make_unique<HttpWorker>(i, m_config, m_factory, *tls));
            m_workers.back()->start();
            connect(m_workers.back().get(), &HttpWorker::drained, this, [this] {
                if (++m_drainedWorkers == int(m_workers.size()))
                    emit stopped();
            });
        }
    }
    const Listener& listener = m_config->proxy;
    if (!m_acceptor->listen(listener.address, listener.port)) {
        return Error::make(QStringLiteral("listen_failed"), QStringLiteral("Cannot listen on %1:%2: %3")
                                                                .arg(listener.address.toString())
                                                                .arg(listener.port)
                                                                .arg(m_acceptor->errorString()));
    }
    qCInfo(lcHttp) << "proxy listening on" << listener.address.toString() << serverPort() << "with" << m_workers.size()
                   << "workers";
    return {};
}

Result<void> HttpServer::reconfigure(ConfigPtr config)
{
    auto tls = loadTls(*config);
    if (!tls)
        return tls.error();
    m_config = std::move(config);
    m_addresses.setPerAddress(m_config->limits.maxConnectionsPerAddress);
    for (const auto& worker : m_workers)
        worker->reconfigure(m_config, *tls);
    return {};
}

quint16 HttpServer::serverPort() const
{
    return m_acceptor->serverPort();
}

void HttpServer::close()
{
    m_acceptor->close();
}

void HttpServer::shutdown(int drainMs)
{
    close();
    m_drainedWorkers = 0;
    if (m_workers.empty()) {
        emit stopped();
        return;
    }
    for (const auto& worker : m_workers)
        worker->shutdown(drainMs);
}

HttpStatsSnapshot HttpServer::stats() const
{
    HttpStatsSnapshot total;
    for (const auto& worker : m_workers)
        worker->stats().addTo(total);
    return total;
}

void HttpServer::dispatch(qintptr descriptor)
{
    // Descriptors still queued to a worker count as open too.
    const HttpStatsSnapshot now = stats();
    const qint64 closed = now.connectionsAccepted - now.connectionsOpen;
    if (m_dispatched - closed >= m_config->limits.maxConnections) {
        ::close(int(descriptor)); // over the cap: refuse at once rather than queue
        return;
    }
    auto place = m_addresses.admit(descriptor);
    if (!place) {
        ::close(int(descriptor));
        return;
    }
    ++m_dispatched;
    m_workers[m_next]->addConnection(descriptor, std::move(place));
    m_next = (m_next + 1) % m_workers.size();
}
