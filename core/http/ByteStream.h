#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>

// The bytes of one connection as the HTTP codecs use them: received bytes gather in input(), up to a bound (beyond
// it the stream stops reading, and TCP pushes back on the peer); write() queues bytes and flush() sends at once what
// the kernel takes, keeping the rest (so a response head and its body leave in one system call and one packet). Two
// kinds: TcpStream straight on a plain socket descriptor, SocketStream over a QTcpSocket or QSslSocket (TLS). Both
// serve accepted client connections and connections opened to an upstream (streamConnected() once it is up). The
// listener is called from the event loop, never from inside a call made on the stream, except for streamClosed() from
// closeAfterFlush() when nothing is left to send.
class ByteStream
{
public:
    class Listener
    {
    public:
        virtual void streamConnected() {}  // a connection being opened is up (TLS included)
        virtual void streamReadable() = 0; // input() grew
        virtual void streamWritten() = 0;  // bytesToWrite() fell
        virtual void streamClosed() = 0;   // closed by the peer, failed (see failure()), or closeAfterFlush() is done
    protected:
        ~Listener() = default;
    };

    // Why a stream closed, when not cleanly.
    enum class Failure { None, Connect, Tls, Reset };

    static constexpr qsizetype kInputBound = 64 * 1024;

    virtual ~ByteStream() = default;

    void setListener(Listener* listener) { m_listener = listener; }
    const QHostAddress& peerAddress() const { return m_peerAddress; }
    quint16 peerPort() const { return m_peerPort; }
    bool isConnected() const { return m_connected; }
    Failure failure() const { return m_failure; }
    const QString& errorString() const { return m_errorString; }

    // Received and not yet used. The owner removes what it used, then calls takeInput().
    QByteArray& input() { return m_input; }
    // After bytes were removed from input(): moves more received bytes in now or reads on later.
    virtual void takeInput() = 0;
    qint64 bytesReceived() const { return m_bytesReceived; }

    // Queues bytes that own their data (not QByteArray::fromRawData): a stream may keep them, not a copy, until sent.
    virtual void write(const QByteArray& bytes) = 0;
    virtual void flush() = 0;
    virtual qint64 bytesToWrite() const = 0;
    // Closes once everything written is sent; streamClosed() follows, possibly from inside this call. With
    // `readToEnd`, for a peer that may still be sending what will not be read (an answered request's body): the
    // sending side is shut and input is read and dropped until the peer closes, since closing with unread input
    // resets the connection and the peer could lose the answer. The owner bounds how long that may take (abort()).
    virtual void closeAfterFlush(bool readToEnd) = 0;
    // Closes now, dropping unsent bytes; nothing more reaches the listener.
    virtual void abort() = 0;

protected:
    Listener* m_listener = nullptr;
    QByteArray m_input;
    qint64 m_bytesReceived = 0;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    bool m_connected = false; // up, and not closed since
    Failure m_failure = Failure::None;
    QString m_errorString;
};
