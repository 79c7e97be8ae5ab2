#include "CallbackHandler.h"
#include "RawHttpClient.h"
#include "TestHandlers.h"
#include "TestRegistry.h"
#include "http/HttpExchange.h"
#include "http/HttpServer.h"

#include <QSignalSpy>
#include <QTest>

// Downstream behaviour of the engine over real loopback sockets: keep-alive, pipelining, framing, 100-continue,
// HEAD, HTTP/1.0, listening and stopping.
class TestHttpServer : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<Config> m_config;
    std::unique_ptr<HttpServer> m_server;

    quint16 port() const { return m_server->serverPort(); }

private slots:
    void init()
    {
        m_config = std::make_shared<Config>();
        m_config->proxy = Listener{QHostAddress(QHostAddress::LocalHost), 0};
        m_config->workers = 2;
        m_server = std::make_unique<HttpServer>(m_config, testHandlerFactory());
        QVERIFY(m_server->listen().ok());
        QVERIFY(port() != 0);
    }

    void cleanup() { m_server.reset(); }

    void keepAliveServesSeveralRequestsOnOneConnection()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        for (int i = 0; i < 3; ++i) {
            client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            const auto response = client.readResponse();
            QVERIFY(response.complete);
            QCOMPARE(response.status, 200);
            QCOMPARE(response.body, QByteArray("hello"));
            QVERIFY(!response.headers.hasToken("Connection", "close"));
        }
        QVERIFY(client.isOpen());
        QCOMPARE(m_server->stats().connectionsAccepted, 1);
        QCOMPARE(m_server->stats().requests, 3);
    }

    // An exchange and what it owns are deleted after the event loop regains control, not while the handler that
    // ended it still runs (ASan sees a use after free otherwise), and not only when the connection closes.
    void anEndedExchangeIsDeletedAfterItsHandlerReturned()
    {
        struct Counted : HttpExchange::Listener
        {
            explicit Counted(std::atomic<int>& deleted) : deleted(deleted) {}
            ~Counted() override { deleted.fetch_add(1); }
            std::atomic<int>& deleted;
            bool answered = false;
        };
        auto deleted = std::make_shared<std::atomic<int>>(0);
        m_server = std::make_unique<HttpServer>(m_config, CallbackHandler::factory([deleted](HttpExchange* exchange) {
                                                    auto* counted = new Counted(*deleted);
                                                    exchange->setListener(std::unique_ptr<Counted>(counted));
                                                    exchange->respond(
                                                        200, {}, "ok"); // ends the exchange from inside the handler
                                                    counted->answered = true;
                                                }));
        QVERIFY(m_server->listen().ok());
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        for (int i = 1; i <= 3; ++i) {
            client.send("GET /counted HTTP/1.1\r\nHost: x\r\n\r\n");
            QCOMPARE(client.readResponse().body, QByteArray("ok"));
            QTRY_COMPARE(deleted->load(), i);
        }
        QVERIFY(client.isOpen());
    }

    void pipelinedRequestsAreAnsweredInOrder()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        // The first answer is the slowest; it must still come first.
        client.send("GET /delay/300 HTTP/1.1\r\nHost: x\r\n\r\n"
                    "GET /delay/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                    "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nthird");
        QCOMPARE(client.readResponse().body, QByteArray("delayed 300"));
        QCOMPARE(client.readResponse().body, QByteArray("delayed 1"));
        QCOMPARE(client.readResponse().body, QByteArray("third"));
    }

    void chunkedRequestBodyIsDecoded()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5\r\nhello\r\n");
        client.send("7;ext=1\r\n, world\r\n0\r\n\r\n");
        const auto response = client.readResponse();
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, QByteArray("hello, world"));
        QCOMPARE(response.headers.value("Content-Length"), QByteArray("12"));
    }

    void responseWithoutLengthIsChunkedForHttp11()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("GET /chunked HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(client.waitForData("0\r\n\r\n"));
        QVERIFY(client.unparsed().contains("Transfer-Encoding: chunked\r\n"));
        QVERIFY(client.unparsed().contains("\r\n5\r\nalpha\r\n4\r\nbeta\r\n5\r\ngamma\r\n0\r\n\r\n"));
        const auto response = client.readResponse();
        QCOMPARE(response.body, QByteArray("alphabetagamma"));
        QVERIFY(client.isOpen());
    }

    void responseWithoutLengthIsCloseDelimitedForHttp10()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("GET /chunked HTTP/1.0\r\n\r\n");
        const auto response = client.readResponse();
        QVERIFY(response.complete);
        QCOMPARE(response.body, QByteArray("alphabetagamma"));
        QVERIFY(!response.headers.contains("Transfer-Encoding"));
        QVERIFY(client.waitForClosed());
    }

    void http10KeepAliveIsHonouredWithContentLength()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        const auto first = client.readResponse();
        QCOMPARE(first.body, QByteArray("hello"));
        QCOMPARE(first.headers.value("Connection").toByteArray().toLower(), QByteArray("keep-alive"));
        client.send("GET /hello HTTP/1.0\r\n\r\n");
        QCOMPARE(client.readResponse().body, QByteArray("hello"));
        QVERIFY(client.waitForClosed()); // plain HTTP/1.0 closes after the response
    }

    void connectionCloseIsHonoured()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        const auto response = client.readResponse();
        QCOMPARE(response.status, 200);
        QVERIFY(response.headers.hasToken("Connection", "close"));
        QVERIFY(client.waitForClosed());
    }

    void headSendsNoBody()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto response = client.readResponse(true);
        QCOMPARE(response.status, 200);
        QCOMPARE(response.headers.value("Content-Length"), QByteArray("5"));
        client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto next = client.readResponse(); // would read "hello" of the HEAD response otherwise
        QCOMPARE(next.body, QByteArray("hello"));
        QVERIFY(client.unparsed().isEmpty());
    }

    void expectContinueIsAnsweredWhenTheHandlerReads()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        QVERIFY(client.waitForData("HTTP/1.1 100 Continue\r\n\r\n"));
        client.send("body");
        const auto response = client.readResponse();
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, QByteArray("body"));
    }

    // A body that is all of what one read brought is handed on whole, and the connection reads the next request
    // into a buffer of its own. (A body alone after the interim answer: expectContinueIsAnsweredWhenTheHandlerReads.)
    void bodiesThatFillAReadAndWhatFollowsThem()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        const QByteArray large(40 * 1024, 'x');
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + QByteArray::number(large.size()) +
                    "\r\n\r\n" + large);
        QCOMPARE(client.readResponse().body, large);

        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nnext"
                    "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(client.readResponse().body, QByteArray("next"));
        QCOMPARE(client.readResponse().body, QByteArray("hello"));
    }

    void expectContinueIsNotSentWhenTheHandlerRejects()
    {
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("POST /reject HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        const auto response = client.readResponse();
        QCOMPARE(response.status, 401);
        QVERIFY(!client.unparsed().contains("100 Continue"));
        QCOMPARE(response.body, QByteArray(R"({"error":{"code":"unauthorized","message":"no key"}})"));
        QVERIFY(response.headers.hasToken("Connection", "close")); // the unread body makes the connection unusable
        QVERIFY(client.waitForClosed());
    }

    void listenReportsATakenPort()
    {
        auto config = std::make_shared<Config>(*m_config);
        config->proxy.port = port();
        HttpServer second(config, testHandlerFactory());
        const Result<void> result = second.listen();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("listen_failed"));
        QVERIFY(result.error().message.contains(QString::number(port())));
    }

    void closeStopsAccepting()
    {
        const quint16 oldPort = port();
        m_server->close();
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, oldPort);
        QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 5000));
        QCOMPARE(socket.error(), QAbstractSocket::ConnectionRefusedError);
    }

    void shutdownLetsInFlightRequestsFinishAndClosesIdleConnections()
    {
        RawHttpClient idle;
        QVERIFY(idle.connectTo(port()));
        idle.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(idle.readResponse().status, 200);

        RawHttpClient busy;
        QVERIFY(busy.connectTo(port()));
        busy.send("GET /delay/300 HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_COMPARE(m_server->stats().requests, 2);

        QSignalSpy stopped(m_server.get(), &HttpServer::stopped);
        m_server->shutdown(5000);
        QVERIFY(idle.waitForClosed());
        const auto response = busy.readResponse();
        QCOMPARE(response.body, QByteArray("delayed 300"));
        QVERIFY(response.headers.hasToken("Connection", "close"));
        QVERIFY(busy.waitForClosed());
        QTRY_COMPARE(stopped.count(), 1);
        QCOMPARE(m_server->stats().connectionsOpen, 0);
    }

    void shutdownCutsRequestsThatOutliveTheDrainTime()
    {
        RawHttpClient busy;
        QVERIFY(busy.connectTo(port()));
        busy.send("GET /delay/60000 HTTP/1.1\r\nHost: x\r\n\r\n");
        QTRY_COMPARE(m_server->stats().requests, 1);
        QSignalSpy stopped(m_server.get(), &HttpServer::stopped);
        m_server->shutdown(200);
        QVERIFY(busy.waitForClosed());
        QTRY_COMPARE(stopped.count(), 1);
    }

    void connectionsBeyondTheCapAreClosed()
    {
        auto config = std::make_shared<Config>(*m_config);
        config->limits.maxConnections = 2;
        HttpServer server(config, testHandlerFactory());
        QVERIFY(server.listen().ok());
        RawHttpClient first, second, third;
        QVERIFY(first.connectTo(server.serverPort()));
        QVERIFY(second.connectTo(server.serverPort()));
        QTRY_COMPARE(server.stats().connectionsOpen, 2);
        QVERIFY(third.connectTo(server.serverPort()));
        QVERIFY(third.waitForClosed());
        first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        QCOMPARE(first.readResponse().status, 200);
    }
};

GATEHOUSE_TEST_MAIN(TestHttpServer)
#include "TestHttpServer.moc"
