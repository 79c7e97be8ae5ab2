#include "local/LocalGateway.h"

#include "app/GatewayService.h"

namespace {

QUrl loopbackUrl(const QHostAddress& address, quint16 port)
{
    // A gateway listening on every address is reached over loopback from here.
    const bool any =
        address == QHostAddress::Any || address == QHostAddress::AnyIPv4 || address == QHostAddress::AnyIPv6;
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(any ? QStringLiteral("127.0.0.1") : address.toString());
    url.setPort(port);
    return url;
}

} // namespace

LocalGateway::LocalGateway(QObject* parent) : QObject(parent), m_home(new QObject)
{
    m_thread.setObjectName(QStringLiteral("gateway"));
    m_home->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_home, &QObject::deleteLater);
    m_thread.start();
}

LocalGateway::~LocalGateway()
{
    QMetaObject::invokeMethod(
        m_home, [this] { stopOnGatewayThread(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void LocalGateway::start(ConfigPtr config)
{
    QMetaObject::invokeMethod(m_home, [this, config = std::move(config)] {
        if (m_service)
            return;
        auto* service = new GatewayService(config);
        if (auto started = service->start(); !started) {
            delete service;
            QMetaObject::invokeMethod(this, [this, message = started.error().message] { emit failed(message); });
            return;
        }
        m_service = service;
        const QUrl proxy = loopbackUrl(config->proxy.address, service->proxyPort());
        const QUrl admin = loopbackUrl(config->admin.address, service->adminPort());
        const QString keyDescription = service->masterKeyDescription();
        QMetaObject::invokeMethod(this, [this, proxy, admin, keyDescription] {
            m_running = true;
            m_proxyUrl = proxy;
            m_adminUrl = admin;
            m_masterKeyDescription = keyDescription;
            emit started();
        });
    });
}

void LocalGateway::stop()
{
    QMetaObject::invokeMethod(m_home, [this] {
        stopOnGatewayThread();
        QMetaObject::invokeMethod(this, [this] {
            m_running = false;
            emit stopped();
        });
    });
}

void LocalGateway::stopOnGatewayThread()
{
    if (!m_service)
        return;
    m_service->stop(); // in-flight requests drain and every queued trace is written before it returns
    delete m_service;
    m_service = nullptr;
}
