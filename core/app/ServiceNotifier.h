#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

// Tells systemd how the service is doing (a Type=notify unit), over the datagram socket in $NOTIFY_SOCKET, the
// protocol sd_notify(3) documents: READY=1 once it serves, RELOADING=1 then READY=1 around a reload, STOPPING=1 when
// it begins to stop, and WATCHDOG=1 every half of $WATCHDOG_USEC for as long as the main event loop turns (a hung
// loop gets the service restarted). Does nothing when systemd did not start the process.
class ServiceNotifier : public QObject
{
    Q_OBJECT

public:
    explicit ServiceNotifier(QObject* parent = nullptr);

    void ready(const QString& status);
    void reloading();
    void stopping();

private:
    void send(const QByteArray& state);

    QByteArray m_socket; // a path, or "@name" for an abstract socket; empty: not under systemd
    QTimer m_watchdog;
};
