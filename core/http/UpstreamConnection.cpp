#include "http/UpstreamConnection.h"

#include "http/UpstreamExchange.h"

UpstreamConnection::UpstreamConnection(QString key, std::unique_ptr<ByteStream> stream)
    : m_key(std::move(key)), m_stream(std::move(stream))
{
    m_stream->setListener(this);
}

bool UpstreamConnection::isReusable() const
{
    return !m_retired && m_stream->isConnected() && m_stream->input().isEmpty();
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
    m_stream->abort();
    deleteLater();
}

void UpstreamConnection::streamConnected()
{
    if (m_user)
        m_user->onConnected();
}

void UpstreamConnection::streamReadable()
{
    if (m_user)
        m_user->onReadyRead();
    else if (!m_retired)
        emit idleEnded(this); // a parked connection must stay silent
}

void UpstreamConnection::streamWritten()
{
    if (m_user)
        m_user->onBytesWritten();
}

void UpstreamConnection::streamClosed()
{
    if (m_user)
        m_user->onClosed();
    else if (!m_retired)
        emit idleEnded(this);
}
