#pragma once

#include "config/Config.h"

#include <QObject>
#include <QThread>
#include <QUrl>

class GatewayService;

// The desktop app's own gateway: a GatewayService on a thread of its own, so that neither the proxy's acceptor nor
// the admin API with its SQL ever runs on the GUI thread. The window reaches it only over HTTP (AdminClient), the
// way it reaches a remote gateway.
class LocalGateway : public QObject
{
    Q_OBJECT

public:
    explicit LocalGateway(QObject* parent = nullptr);
    ~LocalGateway() override; // stops the gateway gracefully and joins its thread

    void start(ConfigPtr config);
    void stop();
    bool isRunning() const { return m_running; }
    QUrl proxyUrl() const { return m_proxyUrl; }
    QUrl adminUrl() const { return m_adminUrl; }
    // Where the master key came from at the last start ("key file /path", ...).
    QString masterKeyDescription() const { return m_masterKeyDescription; }

signals:
    void started();
    void failed(const QString& message);
    void stopped();

private:
    void stopOnGatewayThread();

    QThread m_thread;
    QObject* m_home;                     // lives on m_thread: where the service is made, used and deleted
    GatewayService* m_service = nullptr; // touched only on m_thread
    bool m_running = false;
    QUrl m_proxyUrl;
    QUrl m_adminUrl;
    QString m_masterKeyDescription;
};
