#include "RawHttpClient.h"
#include "TestHandlers.h"
#include "TestRegistry.h"
#include "http/HttpServer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimer>

// Limits, timeouts and request smuggling patterns: each answered with its status (and a JSON error body) and the
// connection closed, over raw loopback sockets.
class TestHttpServerLimits : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HttpServer> m_server;

    quint16 port() const { return m_server->serverPort(); }

    static QByteArray errorCode(const RawHttpClient::Response& response)
    {
        const QJsonObject error = QJsonDocument::fromJson(response.body).object().value("error").toObject();
        return error.value("code").toString().toUtf8();
    }

    // Sends `bytes`, expects one error response with `status`, then the connection closed.
    void expectRejected(const QByteArray& bytes, int status)
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send(bytes);
        const auto response = client.readResponse();
        QVERIFY2(response.complete, bytes.left(200).constData());
        QCOMPARE(response.status, status);
        QVERIFY(!errorCode(response).isEmpty());
        QCOMPARE(response.headers.value("Content-Type"), QByteArray("application/json"));
        QVERIFY(client.waitForClosed());
        QVERIFY2(client.unparsed().isEmpty(), client.unparsed().constData()); // nothing smuggled through
    }

private slots:
    void init()
    {
        auto config = std::make_shared<Config>();
        config->proxy = Listener{QHostAddress(QHostAddress::LocalHost), 0};
        config->workers = 1;
        config->limits.maxRequestLineBytes = 1024;
        config->limits.maxHeaderBytes = 4096;
        config->limits.maxHeaderCount = 20;
        config->limits.maxBodyBytes = 1000;
        config->limits.headerTimeoutMs = 400;
        config->limits.bodyTimeoutMs = 400;
        config->limits.maxBodyTimeMs = 1000;
        config->limits.idleTimeoutMs = 400;
        m_server = std::make_unique<HttpServer>(config, testHandlerFactory());
        QVERIFY(m_server->listen().ok());
    }

    void cleanup() { m_server.reset(); }

    void limits_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("status");
        QTest::newRow("request line too long") << "GET /" + QByteArray(2000, 'a') + " HTTP/1.1\r\n\r\n" << 414;
        QTest::newRow("request line too long, no end yet") << "GET /" + QByteArray(2000, 'a') << 414;
        QByteArray big;
        for (int i = 0; i < 5; ++i)
            big += "X-Big-" + QByteArray::number(i) + ": " + QByteArray(1000, 'b') + "\r\n";
        QTest::newRow("headers too large") << "GET / HTTP/1.1\r\n" + big + "\r\n" << 431;
        QTest::newRow("headers too large, no end yet") << "GET / HTTP/1.1\r\n" + big << 431;
        QByteArray many;
        for (int i = 0; i < 21; ++i)
            many += "X-" + QByteArray::number(i) + ": v\r\n";
        QTest::newRow("too many headers") << "GET / HTTP/1.1\r\n" + many + "\r\n" << 431;
        QTest::newRow("content-length too large")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n") << 413;
        QTest::newRow("chunked total too large")
            << "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n" + QByteArray(600, 'c') +
                   "\r\n258\r\n" + QByteArray(600, 'c') + "\r\n0\r\n\r\n"
            << 413;
    }

    void limits()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, status);
        expectRejected(bytes, status);
        QVERIFY(m_server->stats().error(HttpErrorKind::LimitExceeded) >= 1);
    }

    void limitsAtTheEdgeAreAccepted()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        QByteArray many;
        for (int i = 0; i < 18; ++i) // plus Host and Content-Length: exactly the maximum of 20
            many += "X-" + QByteArray::number(i) + ": v\r\n";
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\n" + many + "Content-Length: 1000\r\n\r\n" +
                    QByteArray(1000, 'd'));
        const auto response = client.readResponse();
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body.size(), 1000);
    }

    void smuggling_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        const QByteArray post = "POST /echo HTTP/1.1\r\nHost: x\r\n";
        const QByteArray next = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"; // must never be answered
        QTest::newRow("content-length and transfer-encoding")
            << post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + next;
        QTest::newRow("transfer-encoding and content-length")
            << post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" + next;
        QTest::newRow("differing content-lengths")
            << post + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd" + next;
        QTest::newRow("content-length list") << post + "Content-Length: 3, 4\r\n\r\nabcd" + next;
        QTest::newRow("negative content-length") << post + "Content-Length: -1\r\n\r\n" + next;
        QTest::newRow("invalid chunk size") << post + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n" + next;
        QTest::newRow("chunk size overflow")
            << post + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nabc\r\n0\r\n\r\n" + next;
        QTest::newRow("bare LF after request line") << "GET /hello HTTP/1.1\nHost: x\r\n\r\n" + next;
        QTest::newRow("bare LF after header") << "GET /hello HTTP/1.1\r\nHost: x\nX: y\r\n\r\n" + next;
        QTest::newRow("bare LF ending the head") << "GET /hello HTTP/1.1\r\nHost: x\r\n\n" + next;
        QTest::newRow("bare LF after chunk size")
            << post + "Transfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n" + next;
        QTest::newRow("bare LF after chunk data")
            << post + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n" + next;
        QTest::newRow("obsolete line folding") << "GET /hello HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n" + next;
        QTest::newRow("folded transfer-encoding") << post + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n" + next;
        QTest::newRow("space before colon") << post + "Content-Length : 3\r\n\r\nabc" + next;
        QTest::newRow("transfer-encoding gzip") << post + "Transfer-Encoding: gzip\r\n\r\nabc" + next;
        QTest::newRow("transfer-encoding gzip, chunked")
            << post + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + next;
        QTest::newRow("transfer-encoding chunked, gzip")
            << post + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n" + next;
        QTest::newRow("transfer-encoding xchunked") << post + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n" + next;
        QTest::newRow("transfer-encoding twice")
            << post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + next;
        QTest::newRow("transfer-encoding in HTTP/1.0")
            << "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + next;
        QTest::newRow("CR inside a value") << "GET /hello HTTP/1.1\r\nX: a\rb\r\n\r\n" + next;
        QTest::newRow("invalid header name") << "GET /hello HTTP/1.1\r\nX(y): a\r\n\r\n" + next;
        QTest::newRow("empty header name") << "GET /hello HTTP/1.1\r\nHost: x\r\n: a\r\n\r\n" + next;
        // Chunk data must be followed by CRLF: what a lenient parser skips instead became a second request.
        QTest::newRow("chunk data longer than its size")
            << post + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcXX0\r\n\r\n" + next;
        QTest::newRow("chunk data longer, a request inside")
            << post + "Transfer-Encoding: chunked\r\n\r\n1\r\nA" + next + "0\r\n\r\n";
        QTest::newRow("content-length beyond 64 bits") << post + "Content-Length: 9223372036854775808\r\n\r\n" + next;
        QTest::newRow("content-length far beyond 64 bits")
            << post + "Content-Length: 99999999999999999999999\r\n\r\n" + next;
        // RFC 9112 3.2: exactly one Host in HTTP/1.1, a valid authority without userinfo.
        QTest::newRow("no host") << "GET /hello HTTP/1.1\r\n\r\n" + next;
        QTest::newRow("two hosts") << "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + next;
        QTest::newRow("host with a space") << "GET /hello HTTP/1.1\r\nHost: a b\r\n\r\n" + next;
        QTest::newRow("host with a slash") << "GET /hello HTTP/1.1\r\nHost: a/b\r\n\r\n" + next;
        QTest::newRow("host with userinfo") << "GET /hello HTTP/1.1\r\nHost: user@a\r\n\r\n" + next;
        QTest::newRow("host with a bad port") << "GET /hello HTTP/1.1\r\nHost: a:8x\r\n\r\n" + next;
        QTest::newRow("host with an empty port") << "GET /hello HTTP/1.1\r\nHost: [::1]:\r\n\r\n" + next;
        QTest::newRow("host with a non-ASCII letter") << "GET /hello HTTP/1.1\r\nHost: caf\xe9\r\n\r\n" + next;
    }

    // Only origin-form targets reach a handler: no absolute form that names another host, no dot segments that
    // climb out of the path the gateway allows, however they are spelled.
    void requestTargetsAreConfined_data()
    {
        QTest::addColumn<QByteArray>("requestLine");
        QTest::newRow("absolute form") << QByteArray("POST http://evil.example/v1/chat/completions HTTP/1.1");
        QTest::newRow("authority form") << QByteArray("CONNECT evil.example:443 HTTP/1.1");
        QTest::newRow("asterisk for GET") << QByteArray("GET * HTTP/1.1");
        QTest::newRow("dot-dot") << QByteArray("GET /v1/../../admin HTTP/1.1");
        QTest::newRow("dot") << QByteArray("GET /v1/./models HTTP/1.1");
        QTest::newRow("trailing dot-dot") << QByteArray("GET /v1/.. HTTP/1.1");
        QTest::newRow("encoded dot-dot") << QByteArray("GET /v1/%2e%2E/admin HTTP/1.1");
        QTest::newRow("half-encoded dot-dot") << QByteArray("GET /v1/.%2e/admin HTTP/1.1");
        QTest::newRow("behind an encoded slash") << QByteArray("GET /v1/x%2f..%2fadmin HTTP/1.1");
        QTest::newRow("behind a backslash") << QByteArray("GET /v1/x\\..\\admin HTTP/1.1");
        QTest::newRow("in the query's path") << QByteArray("GET /v1/../admin?x=1 HTTP/1.1");
    }

    void requestTargetsAreConfined()
    {
        QFETCH(QByteArray, requestLine);
        expectRejected(requestLine + "\r\nHost: x\r\n\r\n", 400);
        QCOMPARE(m_server->stats().requests, 0);
    }

    void dotsInsideNamesAndOptionsAsteriskAreAccepted()
    {
        for (const QByteArray& requestLine : {QByteArray("GET /hello HTTP/1.1"), QByteArray("OPTIONS * HTTP/1.1"),
                                              QByteArray("GET /v1/models/gpt-4.1 HTTP/1.1"),
                                              QByteArray("GET /v1/files/..hidden?next=/../x HTTP/1.1")}) {
            RawHttpClient client;
            QVERIFY(client.connectTo(port()));
            client.send(requestLine + "\r\nHost: x\r\n\r\n");
            const auto response = client.readResponse();
            QVERIFY2(response.complete && response.status != 400, requestLine.constData());
        }
    }

    void smuggling()
    {
        QFETCH(QByteArray, bytes);
        expectRejected(bytes, 400);
        // Head errors never reach the handler; chunk errors are found after the head did. Either way the request
        // after the bad one was never answered (expectRejected saw one response, then the close).
        QVERIFY(m_server->stats().requests <= 1);
        QVERIFY(m_server->stats().error(HttpErrorKind::BadRequest) >= 1);
    }

    void slowlorisIsCutByTheHeaderTimeout()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("GET /hello HTTP/1.1\r\n");
        // Keep trickling header bytes: progress must not extend the deadline.
        QTimer trickle;
        int sent = 0;
        connect(&trickle, &QTimer::timeout, [&] { client.send("X-" + QByteArray::number(sent++) + ": v\r\n"); });
        trickle.start(50);
        const auto response = client.readResponse();
        trickle.stop();
        QCOMPARE(response.status, 408);
        QCOMPARE(errorCode(response), QByteArray("request_timeout"));
        QVERIFY(client.waitForClosed());
        QVERIFY(m_server->stats().error(HttpErrorKind::Timeout) >= 1);
    }

    void slowHeadOnAKeepAliveConnectionIsCutToo()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(client.readResponse().status, 200);
        client.send("GET /hello HTTP/1.1\r\n");
        QTimer trickle;
        connect(&trickle, &QTimer::timeout, [&] { client.send("X: v\r\n"); });
        trickle.start(50);
        const auto response = client.readResponse();
        trickle.stop();
        QCOMPARE(response.status, 408);
        QVERIFY(client.waitForClosed());
    }

    void silentConnectionIsClosedWithoutAnswer()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        QVERIFY(client.waitForClosed());
        QVERIFY(client.unparsed().isEmpty());
    }

    void idleKeepAliveConnectionIsClosedSilently()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(client.readResponse().status, 200);
        QVERIFY(client.waitForClosed());
        QVERIFY(client.unparsed().isEmpty());
    }

    void stalledBodyIsCutByTheBodyTimeout()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
        const auto response = client.readResponse();
        QCOMPARE(response.status, 408);
        QVERIFY(client.waitForClosed());
    }

    // With the default limits a head over 64 KiB filled the stream's 64 KiB input bound before the scanner could
    // tell it was too large: no answer, and the connection stayed open.
    void aHeadOverTheDefaultLimitIsRefusedAtOnce_data()
    {
        QTest::addColumn<int>("headerBytes");
        QTest::newRow("70 KB") << 70'000;
        QTest::newRow("200 KB") << 200'000;
        QTest::newRow("just over") << 64 * 1024;
    }

    void aHeadOverTheDefaultLimitIsRefusedAtOnce()
    {
        QFETCH(int, headerBytes);
        auto config = std::make_shared<Config>();
        config->proxy = Listener{QHostAddress(QHostAddress::LocalHost), 0};
        config->workers = 1;
        HttpServer server(config, testHandlerFactory());
        QVERIFY(server.listen().ok());
        RawHttpClient client;
        QVERIFY(client.connectTo(server.serverPort()));
        client.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(headerBytes, 'b') + "\r\n\r\n");
        const auto response = client.readResponse(false, 3000); // the header timeout would be 10 s
        QCOMPARE(response.status, 431);
        QVERIFY(client.waitForClosed(3000));
    }

    // A body trickled a byte at a time, never silent for the body timeout, held a connection (and its buffer) forever.
    void aTricklingBodyIsCutByItsTotalTime()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n");
        QTimer trickle;
        connect(&trickle, &QTimer::timeout, [&] { client.send("b"); });
        trickle.start(100); // 4 times faster than the 400 ms body timeout; 500 bytes would take 50 s
        const auto response = client.readResponse();
        trickle.stop();
        QCOMPARE(response.status, 408);
        QCOMPARE(QJsonDocument::fromJson(response.body)["error"]["message"].toString(),
                 QStringLiteral("The request body took too long"));
        QVERIFY(client.waitForClosed());
    }

    // One address opening connection after connection took every connection the listener has; another client then
    // could not get in.
    void oneAddressCannotHoldEveryConnection()
    {
        auto config = std::make_shared<Config>();
        config->proxy = Listener{QHostAddress(QHostAddress::LocalHost), 0};
        config->workers = 2;
        config->limits.maxConnectionsPerAddress = 2;
        HttpServer server(config, testHandlerFactory());
        QVERIFY(server.listen().ok());
        const QByteArray hello = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";

        RawHttpClient first, second, third, elsewhere;
        for (RawHttpClient* client : {&first, &second}) {
            QVERIFY(client->connectTo(server.serverPort()));
            client->send(hello);
            QCOMPARE(client->readResponse().status, 200);
        }
        QVERIFY(third.connectTo(server.serverPort())); // the kernel accepts; the gateway closes it at once
        QVERIFY(third.waitForClosed());
        QVERIFY(third.unparsed().isEmpty());
        QVERIFY(elsewhere.connectFrom(QHostAddress(QStringLiteral("127.0.0.2")), server.serverPort()));
        elsewhere.send(hello);
        QCOMPARE(elsewhere.readResponse().status, 200);

        // A trusted reverse proxy carries every client: it is not held to one address's share.
        auto proxied = std::make_shared<Config>(*config);
        proxied->trustedProxies = {QHostAddress::parseSubnet(QStringLiteral("127.0.0.1/32"))};
        HttpServer behindAProxy(proxied, testHandlerFactory());
        QVERIFY(behindAProxy.listen().ok());
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < 4; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>());
            QVERIFY(clients.back()->connectTo(behindAProxy.serverPort()));
            clients.back()->send(hello);
            QCOMPARE(clients.back()->readResponse().status, 200);
        }

        // A connection that closes gives its place back.
        first.socket().disconnectFromHost();
        bool admitted = false;
        for (QDeadlineTimer deadline(5000); !admitted && !deadline.hasExpired();) {
            RawHttpClient again;
            QVERIFY(again.connectTo(server.serverPort()));
            again.send(hello);
            admitted = again.readResponse(false, 1000).status == 200;
        }
        QVERIFY(admitted);
    }
};

GATEHOUSE_TEST_MAIN(TestHttpServerLimits)
#include "TestHttpServerLimits.moc"
