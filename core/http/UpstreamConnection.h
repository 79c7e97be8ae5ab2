#pragma once

#include <QObject>
#include <QTimer>

class QTcpSocket;

// One keep-alive connection to an upstream, owned by the UpstreamPool while idle and by an UpstreamExchange while
// in use. While idle it watches for the server closing it and for its idle timeout.
class UpstreamConnection : public QObject
{
    Q_OBJECT

public:
    UpstreamConnection(QString key, QTcpSocket* socket, QObject* parent = nullptr);

    QTcpSocket* socket() const { return m_socket; }
    const QString& key() const { return m_key; }
    bool isReusable() const;

    void park(int idleTimeoutMs);
    void unpark();

signals:
    void idleEnded(UpstreamConnection* connection); // closed by the server or timed out while parked

private:
    QString m_key;
    QTcpSocket* m_socket;
    QTimer m_idleTimer;
    QMetaObject::Connection m_watchRead;
    QMetaObject::Connection m_watchClose;
};
