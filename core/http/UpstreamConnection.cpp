#include "http/UpstreamConnection.h"

#include <QTcpSocket>

UpstreamConnection::UpstreamConnection(QString key, QTcpSocket* socket, QObject* parent)
    : QObject(parent), m_key(std::move(key)), m_socket(socket)
{
    m_socket->setParent(this);
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] { emit idleEnded(this); });
}

bool UpstreamConnection::isReusable() const
{
    return m_socket->state() == QAbstractSocket::ConnectedState && m_socket->bytesAvailable() == 0;
}

void UpstreamConnection::park(int idleTimeoutMs)
{
    m_idleTimer.start(idleTimeoutMs);
    // Any byte or a close while idle means the connection cannot carry another request.
    m_watchRead = connect(m_socket, &QTcpSocket::readyRead, this, [this] { emit idleEnded(this); });
    m_watchClose = connect(m_socket, &QTcpSocket::disconnected, this, [this] { emit idleEnded(this); });
}

void UpstreamConnection::unpark()
{
    m_idleTimer.stop();
    disconnect(m_watchRead);
    disconnect(m_watchClose);
}
