#include "RawHttpClient.h"
#include "ScriptedUpstream.h"
#include "TestCertificates.h"
#include "TestRegistry.h"
#include "http/HttpServer.h"
#include "PassThroughHandler.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

// The engine as a pass-through proxy (PassThroughHandler) in front of a scripted upstream: streaming both ways,
// backpressure, aborts in either direction, upstream errors, TLS on the listener.
class TestHttpServerProxy : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<Config> m_config;
    std::unique_ptr<ScriptedUpstream> m_upstream;
    std::unique_ptr<HttpServer> m_server;

    void startServer(const QUrl& upstream)
    {
        m_server = std::make_unique<HttpServer>(m_config, PassThroughHandler::factory(upstream));
        QVERIFY(m_server->listen().ok());
    }

    quint16 port() const { return m_server->serverPort(); }

private slots:
    void init()
    {
        m_config = std::make_shared<Config>();
        m_config->proxy = Listener{QHostAddress(QHostAddress::LocalHost), 0};
        m_config->workers = 2;
        m_config->limits.maxPendingWriteBytes = 256 * 1024;
        m_upstream = std::make_unique<ScriptedUpstream>();
        startServer(m_upstream->url().resolved(QUrl("/base/")));
    }

    void cleanup()
    {
        m_server.reset();
        m_upstream.reset();
    }

    void forwardsRequestAndResponse()
    {
        m_upstream->setResponder(ScriptedUpstream::fixed(201, "created", {{"X-Upstream", "yes"}}));
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("POST /v1/things%2Fx?limit=2&q=a%20b HTTP/1.1\r\nHost: gateway\r\nContent-Length: 4\r\n"
                    "Authorization: Bearer k\r\nConnection: keep-alive\r\n\r\nbody");
        const auto response = client.readResponse();
        QCOMPARE(response.status, 201);
        QCOMPARE(response.body, QByteArray("created"));
        QCOMPARE(response.headers.value("X-Upstream"), QByteArray("yes"));
        const auto& seen = m_upstream->requests().last();
        QCOMPARE(seen.method, QByteArray("POST"));
        QCOMPARE(seen.target, QByteArray("/base/v1/things%2Fx?limit=2&q=a%20b")); // byte for byte
        QCOMPARE(seen.body, QByteArray("body"));
        QCOMPARE(seen.headers.value("Authorization"), QByteArray("Bearer k"));
        QCOMPARE(seen.headers.value("Host"), "127.0.0.1:" + QByteArray::number(m_upstream->port()));
        QVERIFY(!seen.headers.contains("Connection"));
    }

    void upstreamConnectionsArePooledAcrossClients()
    {
        for (int i = 0; i < 4; ++i) {
            RawHttpClient client;
            QVERIFY(client.connectTo(port()));
            client.send("GET /x HTTP/1.1\r\nHost: g\r\nConnection: close\r\n\r\n");
            QCOMPARE(client.readResponse().body, QByteArray("hello"));
            QVERIFY(client.waitForClosed());
        }
        // Two workers, each with its own pool: at most one upstream connection each.
        QVERIFY(m_upstream->connectionCount() <= 2);
        QCOMPARE(m_server->stats().upstreamConnectionsReused, 4 - m_upstream->connectionCount());
    }

    void chunkedBodiesStreamBothWays()
    {
        m_upstream->setResponder([](const ScriptedUpstream::Request& request, QTcpSocket* socket) {
            socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            socket->write(QByteArray::number(request.body.size(), 16) + "\r\n" + request.body + "\r\n0\r\n\r\n");
        });
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("POST /echo HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: chunked\r\n\r\n3\r\none\r\n");
        client.send("3\r\ntwo\r\n0\r\n\r\n");
        const auto response = client.readResponse();
        QVERIFY(response.complete);
        QCOMPARE(response.body, QByteArray("onetwo"));
        QCOMPARE(response.headers.value("Transfer-Encoding"), QByteArray("chunked"));
    }

    // Trailer fields are read and dropped both ways (found by fuzzing the upstream codec: a provider's trailers were
    // appended to the response head's fields); an endless trailer section is refused like an endless body.
    void trailersAreDroppedAndBounded()
    {
        m_config->limits.maxBodyBytes = 64 * 1024;
        startServer(m_upstream->url());
        m_upstream->setResponder([](const ScriptedUpstream::Request&, QTcpSocket* socket) {
            socket->write("HTTP/1.1 200 OK\r\nX-Head: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "4;ext=1\r\npart\r\n0\r\nX-Checksum: abc\r\nX-Other: def\r\n\r\n");
        });
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("POST /echo HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: chunked\r\n\r\n3\r\none\r\n"
                    "0\r\nX-Client-Trailer: 1\r\n\r\n");
        const auto response = client.readResponse();
        QVERIFY(response.complete);
        QCOMPARE(response.body, QByteArray("part"));
        QCOMPARE(response.headers.value("X-Head"), QByteArray("1"));
        QVERIFY(!response.headers.contains("X-Checksum") && !response.headers.contains("X-Other"));

        RawHttpClient endless;
        QVERIFY(endless.connectTo(port()));
        endless.send("POST /echo HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
        for (int i = 0; i < 200 && endless.isOpen(); ++i)
            endless.send("X-T-" + QByteArray::number(i) + ": " + QByteArray(1000, 't') + "\r\n");
        QCOMPARE(endless.readResponse().status, 413);
    }

    // Found by fuzzing: a provider switching protocols left the exchange waiting until the stall timeout.
    void anUpstreamSwitchingProtocolsIsABadGateway()
    {
        m_upstream->setResponder([](const ScriptedUpstream::Request&, QTcpSocket* socket) {
            socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        });
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("GET /x HTTP/1.1\r\nHost: g\r\n\r\n");
        const auto response = client.readResponse(false, 3000); // the stall timeout would be 300 s
        QCOMPARE(response.status, 502);
    }

    void slowClientDoesNotGrowTheGatewaysBuffers()
    {
        constexpr qint64 kTotal = 32 * 1024 * 1024;
        m_upstream->setResponder(m_upstream->streaming(kTotal));
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.setReading(false);
        client.send("GET /big HTTP/1.1\r\nHost: g\r\n\r\n");
        QTRY_VERIFY(m_server->stats().upstreamReadPauses >= 1);
        QVERIFY(m_server->stats().pendingWriteBytes <= 2 * m_config->limits.maxPendingWriteBytes);
        qInfo() << "paused after the upstream pushed" << m_upstream->bytesPushed() << "bytes, pending at the gateway"
                << m_server->stats().pendingWriteBytes;
        QVERIFY(m_upstream->bytesPushed() < kTotal / 2); // the rest is held back by TCP, not buffered by us

        // Now read everything: the stream resumes and completes, and the bound held all the way.
        qint64 peakPending = 0;
        qint64 received = 0;
        client.setReading(true);
        connect(&client.socket(), &QTcpSocket::readyRead, this,
                [&] { peakPending = qMax(peakPending, m_server->stats().pendingWriteBytes); });
        const auto response = client.readResponse(false, 60'000);
        received = response.body.size();
        QVERIFY2(response.complete, QByteArray::number(received) + " received, " +
                                        QByteArray::number(m_upstream->bytesPushed()) + " pushed, " +
                                        QByteArray::number(m_server->stats().pendingWriteBytes) + " pending");
        QCOMPARE(received, kTotal);
        QVERIFY2(peakPending <= 2 * m_config->limits.maxPendingWriteBytes, QByteArray::number(peakPending));
    }

    void clientDisconnectAbortsTheUpstream()
    {
        m_upstream->setResponder([](const ScriptedUpstream::Request&, QTcpSocket* socket) {
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "b\r\ndata: one\n\n\r\n"); // and then nothing: a stream that would go on
        });
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("GET /stream HTTP/1.1\r\nHost: g\r\n\r\n");
        QVERIFY(client.waitForData("data: one"));
        QSignalSpy upstreamClosed(m_upstream.get(), &ScriptedUpstream::connectionClosed);
        client.socket().abort();
        QVERIFY(upstreamClosed.wait());
        QTRY_COMPARE(m_server->stats().error(HttpErrorKind::ClientAbort), 1);
    }

    void upstreamDeathMidStreamIsVisibleToTheClient_data()
    {
        QTest::addColumn<QByteArray>("partial");
        QTest::newRow("chunked") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\npart\r\n");
        QTest::newRow("content-length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart");
    }

    void upstreamDeathMidStreamIsVisibleToTheClient()
    {
        QFETCH(QByteArray, partial);
        m_upstream->setResponder([partial](const ScriptedUpstream::Request&, QTcpSocket* socket) {
            socket->write(partial);
            socket->disconnectFromHost();
        });
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("GET /stream HTTP/1.1\r\nHost: g\r\n\r\n");
        const auto response = client.readResponse();
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, QByteArray("part"));
        QVERIFY(!response.complete); // no final chunk / fewer bytes than Content-Length, then the close
        QVERIFY(client.waitForClosed());
        QTRY_COMPARE(m_server->stats().error(HttpErrorKind::UpstreamReset), 1);
    }

    void unreachableUpstreamIs502()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        startServer(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort)));
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("GET /x HTTP/1.1\r\nHost: g\r\n\r\n");
        const auto response = client.readResponse();
        QCOMPARE(response.status, 502);
        QVERIFY(response.body.contains(R"("code":"connect_failed")"));
    }

    void silentUpstreamIs504()
    {
        m_config->limits.upstreamResponseTimeoutMs = 300;
        startServer(m_upstream->url());
        m_upstream->setResponder([](const ScriptedUpstream::Request&, QTcpSocket*) {});
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("GET /x HTTP/1.1\r\nHost: g\r\n\r\n");
        const auto response = client.readResponse();
        QCOMPARE(response.status, 504);
        QVERIFY(response.body.contains(R"("code":"timeout")"));
    }

    void largeRequestBodyIsStreamedWithBackpressure()
    {
        constexpr int kSize = 8 * 1024 * 1024;
        m_upstream->setResponder([](const ScriptedUpstream::Request& request, QTcpSocket* socket) {
            ScriptedUpstream::fixed(200, QByteArray::number(request.body.size()))(request, socket);
        });
        RawHttpClient client;
        QVERIFY(client.connectTo(port()));
        client.send("PUT /upload HTTP/1.1\r\nHost: g\r\nContent-Length: " + QByteArray::number(kSize) + "\r\n\r\n");
        client.send(QByteArray(kSize, 'u'));
        const auto response = client.readResponse(false, 30'000);
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, QByteArray::number(kSize));
    }

    void tlsListener()
    {
        TestCertificates certificates;
        QVERIFY(certificates.isValid());
        m_config->tlsCertificateFile = certificates.certificateFile();
        m_config->tlsPrivateKeyFile = certificates.privateKeyFile();
        startServer(m_upstream->url());
        RawHttpClient client;
        QVERIFY(client.connectTo(port(), true, certificates.caCertificates()));
        for (int i = 0; i < 2; ++i) {
            client.send("GET /secure HTTP/1.1\r\nHost: g\r\n\r\n");
            const auto response = client.readResponse();
            QCOMPARE(response.status, 200);
            QCOMPARE(response.body, QByteArray("hello"));
        }
    }
};

GATEHOUSE_TEST_MAIN(TestHttpServerProxy)
#include "TestHttpServerProxy.moc"
