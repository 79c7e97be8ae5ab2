#pragma once

#include "FakeHttpReply.h"
#include "FakeHttpRequest.h"

#include <QObject>
#include <QTcpServer>
#include <QUrl>

#include <functional>
#include <map>
#include <memory>

class QTcpSocket;

// A small HTTP/1.1 server for tests, on a raw QTcpServer with llhttp, bound to 127.0.0.1 on an ephemeral port in
// the calling thread. Deliberately independent of Gatehouse's own HTTP engine, so tests never check the engine
// against itself. Keep-alive, pipelining (answered in order), Content-Length and chunked request bodies; replies
// as described by FakeHttpReply (timed pieces, cut streams, hangs). Every request is recorded.
//
//     FakeHttpServer server;
//     server.setHandler([](const FakeHttpRequest& request) {
//         return FakeHttpReply::eventStream({"data: 1\n\n", "data: 2\n\n"});
//     });
//     QVERIFY(server.listen());
//     ... point a client at server.url() ...
//     QTRY_COMPARE(server.requests().size(), 1);
//     QCOMPARE(server.requests().first().header("authorization"), "Bearer sk-test");
class FakeHttpServer : public QObject
{
    Q_OBJECT

public:
    using Handler = std::function<FakeHttpReply(const FakeHttpRequest&)>;

    explicit FakeHttpServer(QObject* parent = nullptr);
    ~FakeHttpServer() override;

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    bool listen();
    quint16 port() const { return m_port; }
    QUrl url() const; // http://127.0.0.1:<port>

    // A dead upstream: stop listening (new connections are refused) and drop every open connection.
    void refuseConnections();
    // Listen again on the same port.
    bool acceptConnections();

    const QList<FakeHttpRequest>& requests() const { return m_requests; }
    void clearRequests() { m_requests.clear(); }
    int connectionsAccepted() const { return m_connectionsAccepted; }
    int openConnections() const { return int(m_connections.size()); }
    int clientAborts() const { return m_clientAborts; }
    // The body bytes of every reply written so far (de-chunked), in the order the replies started.
    const QList<QByteArray>& sentBodies() const { return m_sentBodies; }

    struct Connection; // internal: one accepted socket with its parser and reply state

signals:
    void requestReceived(const QString& path);
    // The client closed its connection while its request was still being answered (or hung).
    void clientAborted(int connectionId, const QString& path);

private:
    void onNewConnection();
    void onReadyRead(int id);
    void onDisconnected(int id);
    void answerNext(Connection& connection);
    void writeHead(Connection& connection);
    void writePiece(int id);
    void finishReply(Connection& connection, bool clean);
    Connection* find(int id);

    Handler m_handler;
    QTcpServer m_server;
    quint16 m_port = 0;
    int m_connectionsAccepted = 0;
    QList<QByteArray> m_sentBodies;
    int m_clientAborts = 0;
    QList<FakeHttpRequest> m_requests;
    std::map<int, std::unique_ptr<Connection>> m_connections;
};
