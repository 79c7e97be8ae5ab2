#include "http/SocketStream.h"

#include <QSslSocket>

SocketStream::SocketStream(QTcpSocket* socket, QObject* parent) : QObject(parent), m_socket(socket)
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kInputBound); // beyond it the socket stops reading the kernel: TCP backpressure
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_peerAddress = m_socket->peerAddress();
    m_peerPort = m_socket->peerPort();
    m_connected = m_socket->state() == QAbstractSocket::ConnectedState;
    if (auto* tls = qobject_cast<QSslSocket*>(m_socket)) {
        connect(tls, &QSslSocket::encrypted, this, [this] {
            m_connected = true;
            if (m_listener)
                m_listener->streamConnected();
        });
    }
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error == QAbstractSocket::RemoteHostClosedError)
            return; // a clean close: disconnected() follows
        const bool tls = error == QAbstractSocket::SslHandshakeFailedError ||
                         error == QAbstractSocket::SslInternalError ||
                         error == QAbstractSocket::SslInvalidUserDataError;
        m_failure = tls ? Failure::Tls : m_connected ? Failure::Reset : Failure::Connect;
        m_errorString = m_socket->errorString();
        pull(); // what arrived before the error is still the peer's
        reportClosed();
    });
    connect(m_socket, &QTcpSocket::readyRead, this, [this] {
        if (pull() > 0 && m_listener)
            m_listener->streamReadable();
    });
    // Queued: Qt emits bytesWritten from inside flush() as well, where ByteStream promises no call.
    connect(
        m_socket, &QTcpSocket::bytesWritten, this,
        [this] {
            if (m_listener)
                m_listener->streamWritten();
        },
        Qt::QueuedConnection);
    connect(m_socket, &QTcpSocket::disconnected, this, &SocketStream::reportClosed);
}

void SocketStream::reportClosed()
{
    if (m_closeReported)
        return;
    m_closeReported = true;
    m_connected = false;
    // From the event loop, as ByteStream promises: Qt reports a write the peer reset from inside write() or flush(),
    // whose caller goes on with the connection it holds (an exchange ending there lost its connection mid-call).
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_listener)
                m_listener->streamClosed();
        },
        Qt::QueuedConnection);
}

void SocketStream::takeInput()
{
    pull();
}

qint64 SocketStream::pull()
{
    const qint64 wanted = qMin(m_socket->bytesAvailable(), qint64(kInputBound - m_input.size()));
    if (wanted <= 0)
        return 0;
    const qsizetype old = m_input.size();
    m_input.resize(old + wanted);
    const qint64 read = qMax<qint64>(m_socket->read(m_input.data() + old, wanted), 0);
    m_input.resize(old + read);
    m_bytesReceived += read;
    return read;
}

void SocketStream::write(const QByteArray& bytes)
{
    m_socket->write(bytes);
}

void SocketStream::flush()
{
    m_socket->flush(); // now, not on the next event loop pass
}

qint64 SocketStream::bytesToWrite() const
{
    return m_socket->bytesToWrite();
}

void SocketStream::closeAfterFlush(bool)
{
    m_socket->disconnectFromHost();
}

void SocketStream::abort()
{
    m_listener = nullptr;
    m_socket->abort();
}
