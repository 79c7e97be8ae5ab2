#pragma once

#include "http/HttpHeaders.h"

#include <QPointer>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QUrl>

#include <functional>
#include <memory>

class QTcpSocket;

// A raw upstream HTTP/1.1 server on 127.0.0.1 for tests of the engine: parses requests with llhttp, records them,
// and answers each with a scripted responder that writes whatever bytes it likes (or none, or closes).
// Runs on the test's thread.
class ScriptedUpstream : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        QByteArray method;
        QByteArray target;
        HttpHeaders headers;
        QByteArray body;
        int connectionIndex = 0;   // 1 for the first connection accepted, 2 for the second, ...
        int indexOnConnection = 0; // 1 for the first request on its connection
    };
    using Responder = std::function<void(const Request& request, QTcpSocket* socket)>;

    // TLS when `tls` has a local certificate and key.
    explicit ScriptedUpstream(const QSslConfiguration& tls = QSslConfiguration(), QObject* parent = nullptr);
    ~ScriptedUpstream() override;

    QUrl url() const; // http(s)://127.0.0.1:port (https uses "localhost" so the certificate name matches)
    quint16 port() const { return m_server->serverPort(); }
    void setResponder(Responder responder) { m_responder = std::move(responder); }

    const QList<Request>& requests() const { return m_requests; }
    int connectionCount() const { return m_connectionCount; }
    int closedCount() const { return m_closedCount; }

    // A complete response with Content-Length.
    static Responder fixed(int status, const QByteArray& body, const HttpHeaders& headers = {});
    // A 200 response of `total` bytes written only as fast as the peer reads; bytesPushed() says how far it got.
    Responder streaming(qint64 total, bool chunked = false);
    qint64 bytesPushed() const { return m_bytesPushed; }

signals:
    void requestReceived();
    void connectionClosed();

private:
    struct Connection;
    void accept();

    QTcpServer* m_server;
    bool m_tls;
    Responder m_responder;
    QList<Request> m_requests;
    std::vector<std::unique_ptr<Connection>> m_connections;
    int m_connectionCount = 0;
    int m_closedCount = 0;
    qint64 m_bytesPushed = 0;
};
