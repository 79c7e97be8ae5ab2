#pragma once

#include <QObject>
#include <QTimer>

class QTcpSocket;
class UpstreamExchange;

// One keep-alive connection to an upstream, owned by the UpstreamPool while idle and by an UpstreamExchange while
// in use. Its socket's signals are connected once, here, and routed to the exchange using it: nothing is connected
// or disconnected per request. While idle it watches for the server closing it and for its idle timeout.
class UpstreamConnection : public QObject
{
    Q_OBJECT

public:
    UpstreamConnection(QString key, QTcpSocket* socket, QObject* parent = nullptr);

    QTcpSocket* socket() const { return m_socket; }
    const QString& key() const { return m_key; }
    bool isReusable() const;

    void setUser(UpstreamExchange* user) { m_user = user; }
    void park(int idleTimeoutMs);
    void unpark() { m_idleTimer.stop(); }
    // Closes the socket and deletes the connection later; no more events reach anyone.
    void retire();

signals:
    void idleEnded(UpstreamConnection* connection); // closed by the server, sent bytes, or timed out while parked

private:
    void onReadyRead();
    void onDisconnected();

    QString m_key;
    QTcpSocket* m_socket;
    UpstreamExchange* m_user = nullptr;
    QTimer m_idleTimer;
    bool m_retired = false;
};
