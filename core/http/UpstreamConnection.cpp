#include "http/UpstreamConnection.h"

#include "http/UpstreamExchange.h"

#include <QSslSocket>

UpstreamConnection::UpstreamConnection(QString key, QTcpSocket* socket, QObject* parent)
    : QObject(parent), m_key(std::move(key)), m_socket(socket)
{
    m_socket->setParent(this);
    auto onConnected = [this] {
        if (m_user)
            m_user->onConnected();
    };
    if (auto* sslSocket = qobject_cast<QSslSocket*>(socket))
        connect(sslSocket, &QSslSocket::encrypted, this, onConnected);
    else
        connect(socket, &QTcpSocket::connected, this, onConnected);
    connect(socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_user)
            m_user->onBytesWritten();
    });
    connect(socket, &QTcpSocket::errorOccurred, this, [this] {
        if (m_user)
            m_user->onSocketError();
    });
    connect(socket, &QTcpSocket::readyRead, this, &UpstreamConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &UpstreamConnection::onDisconnected);
}

bool UpstreamConnection::isReusable() const
{
    return !m_retired && m_socket->state() == QAbstractSocket::ConnectedState && m_socket->bytesAvailable() == 0;
}

void UpstreamConnection::park(int idleTimeoutMs)
{
    m_user = nullptr;
    m_timeout.start(idleTimeoutMs, this);
}

void UpstreamConnection::timerEvent(QTimerEvent* event)
{
    if (!m_timeout.expire(event, this) || m_retired)
        return;
    if (m_user)
        m_user->onTimeout();
    else
        emit idleEnded(this);
}

void UpstreamConnection::retire()
{
    m_user = nullptr;
    m_retired = true;
    m_timeout.stop();
    m_socket->abort();
    deleteLater();
}

void UpstreamConnection::onReadyRead()
{
    if (m_user)
        m_user->onReadyRead();
    else if (!m_retired)
        emit idleEnded(this); // a parked connection must stay silent
}

void UpstreamConnection::onDisconnected()
{
    if (m_user)
        m_user->onDisconnected();
    else if (!m_retired)
        emit idleEnded(this);
}
