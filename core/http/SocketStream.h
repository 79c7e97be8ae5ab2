#pragma once

#include "http/ByteStream.h"

#include <QObject>

class QTcpSocket;

// A connection through a QTcpSocket or QSslSocket: used for TLS, where QSslSocket does the encryption. An outgoing
// socket is handed over while it connects: streamConnected() when it is encrypted.
class SocketStream : public QObject, public ByteStream
{
    Q_OBJECT

public:
    // Takes ownership of the socket.
    explicit SocketStream(QTcpSocket* socket, QObject* parent = nullptr);

    void takeInput() override;
    void write(const QByteArray& bytes) override;
    void flush() override;
    qint64 bytesToWrite() const override;
    void closeAfterFlush(bool readToEnd) override; // TLS: closes once sent, whatever is unread
    void abort() override;

private:
    qint64 pull();
    void reportClosed();

    QTcpSocket* m_socket;
    bool m_closeReported = false;
};
