#include "ScriptedUpstream.h"
#include "TestCertificates.h"
#include "TestRegistry.h"
#include "http/HttpStats.h"
#include "http/UpstreamExchange.h"
#include "http/UpstreamPool.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

// The upstream client against a scripted raw server on loopback: pooling, framing of responses, errors, retries, TLS.
class TestUpstreamPool : public QObject
{
    Q_OBJECT

private:
    // What an exchange reported.
    struct Outcome final : UpstreamExchange::Listener
    {
        int status = 0;
        HttpHeaders headers;
        QByteArray body;
        bool complete = false; // finished() came
        std::optional<UpstreamError> error;

        void responseHead(int status_, const HttpHeaders& headers_) override
        {
            status = status_;
            headers = headers_;
        }
        void responseData(const QByteArray& data) override { body += data; }
        void finished() override { complete = true; }
        void failed(const UpstreamError& error_) override { error = error_; }
    };

    HttpLimits m_limits;
    HttpWorkerStats m_stats;
    std::unique_ptr<UpstreamPool> m_pool;

    Outcome run(UpstreamRequest request, UpstreamPool* pool = nullptr)
    {
        Outcome outcome;
        const auto exchange = (pool ? pool : m_pool.get())->start(std::move(request), &outcome);
        (void)QTest::qWaitFor([&] { return outcome.complete || outcome.error.has_value(); }, 10'000);
        return outcome;
    }

    static UpstreamRequest get(const QUrl& base, const QString& path = QStringLiteral("/"))
    {
        UpstreamRequest request;
        request.origin = UpstreamOrigin::fromUrl(base);
        request.target = path.toLatin1();
        return request;
    }

    // Answers "fresh", but closes a connection at its second request, as a server's idle timeout would before it.
    static ScriptedUpstream::Responder closingAtSecondRequest()
    {
        return [](const ScriptedUpstream::Request& request, QTcpSocket* socket) {
            if (request.indexOnConnection == 2) {
                socket->abort();
                return;
            }
            ScriptedUpstream::fixed(200, "fresh")(request, socket);
        };
    }

    static ScriptedUpstream::Responder raw(const QByteArray& bytes, bool close = false)
    {
        return [bytes, close](const ScriptedUpstream::Request&, QTcpSocket* socket) {
            socket->write(bytes);
            if (close)
                socket->disconnectFromHost();
        };
    }

private slots:
    void init()
    {
        m_limits = HttpLimits();
        m_limits.upstreamResponseTimeoutMs = 2000;
        m_pool = std::make_unique<UpstreamPool>(m_limits, QString(), m_stats);
    }

    void cleanup() { m_pool.reset(); }

    void keepAliveConnectionsAreReused()
    {
        ScriptedUpstream upstream;
        for (int i = 0; i < 3; ++i) {
            const Outcome outcome = run(get(upstream.url(), QStringLiteral("/v1/x?a=1")));
            QVERIFY(outcome.complete);
            QCOMPARE(outcome.status, 200);
            QCOMPARE(outcome.body, QByteArray("hello"));
        }
        QCOMPARE(upstream.connectionCount(), 1);
        QCOMPARE(upstream.requests().size(), 3);
        QCOMPARE(upstream.requests().last().target, QByteArray("/v1/x?a=1"));
        QCOMPARE(upstream.requests().last().headers.value("Host"), "127.0.0.1:" + QByteArray::number(upstream.port()));
        QCOMPARE(upstream.requests().last().indexOnConnection, 3);
        QCOMPARE(m_pool->idleConnectionCount(), 1);
    }

    void staleConnectionIsRetriedOnceOnAFreshOne()
    {
        ScriptedUpstream upstream;
        upstream.setResponder(closingAtSecondRequest());
        QCOMPARE(run(get(upstream.url())).body, QByteArray("fresh"));
        UpstreamRequest post = get(upstream.url());
        post.method = "POST";
        post.body = "payload";
        const Outcome outcome = run(post);
        QVERIFY(outcome.complete);
        QCOMPARE(outcome.body, QByteArray("fresh"));
        QCOMPARE(upstream.connectionCount(), 2);
        QCOMPARE(upstream.requests().last().body, QByteArray("payload"));
        QCOMPARE(upstream.requests().last().connectionIndex, 2);
    }

    // A streamed body is sent again on the fresh connection from what was kept of it, head included. Kept only up to
    // maxPendingWriteBytes: past that the reset is the caller's error, as it cannot be sent again. Here the head and a
    // short body (about 100 bytes as sent) fit in 150, the head and a long body (about 190) do not.
    void staleConnectionIsRetriedWithTheStreamedBodySoFar()
    {
        m_limits.maxPendingWriteBytes = 150;
        m_pool = std::make_unique<UpstreamPool>(m_limits, QString(), m_stats);
        ScriptedUpstream upstream;
        upstream.setResponder(closingAtSecondRequest());
        // A streamed POST on a connection a GET left to reuse, which the server closes on its second request.
        const auto streamed = [this, &upstream](const QByteArray& last) {
            UpstreamRequest post = get(upstream.url());
            post.method = "POST";
            post.streamBody = true;
            auto outcome = std::make_unique<Outcome>();
            const auto exchange = m_pool->start(post, outcome.get());
            exchange->writeBody("part one, ");
            exchange->writeBody(last);
            exchange->endBody();
            (void)QTest::qWaitFor([&] { return outcome->complete || outcome->error.has_value(); }, 10'000);
            return outcome;
        };

        QVERIFY(run(get(upstream.url())).complete);
        const auto kept = streamed("part two");
        QVERIFY(kept->complete);
        QCOMPARE(kept->body, QByteArray("fresh"));
        QCOMPARE(upstream.requests().last().body, QByteArray("part one, part two"));
        QCOMPARE(upstream.requests().last().headers.value("Transfer-Encoding"), QByteArray("chunked"));
        QCOMPARE(upstream.requests().last().connectionIndex, 2);

        QVERIFY(run(get(upstream.url())).complete);
        const int connections = upstream.connectionCount();
        const auto tooLarge = streamed(QByteArray(100, 'x'));
        QVERIFY(tooLarge->error.has_value());
        QCOMPARE(tooLarge->error->kind, UpstreamErrorKind::Reset);
        QCOMPARE(upstream.connectionCount(), connections); // not retried
    }

    void closeOnAFreshConnectionIsAnErrorNotARetry()
    {
        ScriptedUpstream upstream;
        upstream.setResponder([](const ScriptedUpstream::Request&, QTcpSocket* socket) { socket->abort(); });
        const Outcome outcome = run(get(upstream.url()));
        QVERIFY(outcome.error.has_value());
        QCOMPARE(outcome.error->kind, UpstreamErrorKind::Reset);
        QVERIFY(!outcome.error->responseStarted);
        QCOMPARE(upstream.connectionCount(), 1);
    }

    void serverClosingAnIdleConnectionRemovesItFromThePool()
    {
        ScriptedUpstream upstream;
        upstream.setResponder(raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        QVERIFY(run(get(upstream.url())).complete);
        QCOMPARE(m_pool->idleConnectionCount(), 1);
        upstream.setResponder(raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", true));
        QVERIFY(run(get(upstream.url())).complete);
        QCOMPARE(m_pool->idleConnectionCount(), 0); // "Connection: close" is not pooled
    }

    void idlePooledConnectionsAreClosedAfterTheIdleTimeout()
    {
        m_limits.upstreamIdleTimeoutMs = 100;
        ScriptedUpstream upstream;
        QVERIFY(run(get(upstream.url())).complete);
        QCOMPARE(m_pool->idleConnectionCount(), 1);
        QTRY_COMPARE(m_pool->idleConnectionCount(), 0);
        QTRY_COMPARE(upstream.closedCount(), 1);
    }

    void chunkedResponseIsDecoded()
    {
        ScriptedUpstream upstream;
        upstream.setResponder(
            raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n"));
        const Outcome outcome = run(get(upstream.url()));
        QVERIFY(outcome.complete);
        QCOMPARE(outcome.body, QByteArray("hello world"));
        QCOMPARE(m_pool->idleConnectionCount(), 1);
    }

    void closeDelimitedResponseEndsAtClose()
    {
        ScriptedUpstream upstream;
        upstream.setResponder(raw("HTTP/1.1 200 OK\r\n\r\nuntil the end", true));
        const Outcome outcome = run(get(upstream.url()));
        QVERIFY(outcome.complete);
        QCOMPARE(outcome.body, QByteArray("until the end"));
        QCOMPARE(m_pool->idleConnectionCount(), 0);
    }

    void headResponseHasNoBody()
    {
        ScriptedUpstream upstream;
        upstream.setResponder(raw("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"));
        UpstreamRequest head = get(upstream.url());
        head.method = "HEAD";
        const Outcome outcome = run(head);
        QVERIFY(outcome.complete);
        QCOMPARE(outcome.headers.value("Content-Length"), QByteArray("1000"));
        QVERIFY(outcome.body.isEmpty());
        upstream.setResponder(ScriptedUpstream::fixed(200, "after"));
        QCOMPARE(run(get(upstream.url())).body, QByteArray("after")); // the connection is still in step
        QCOMPARE(upstream.connectionCount(), 1);
    }

    void interimResponsesAreSkipped()
    {
        ScriptedUpstream upstream;
        upstream.setResponder(raw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                                  "HTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone"));
        const Outcome outcome = run(get(upstream.url()));
        QCOMPARE(outcome.status, 201);
        QVERIFY(!outcome.headers.contains("Link"));
        QCOMPARE(outcome.body, QByteArray("done"));
    }

    void streamedRequestBodyIsChunked()
    {
        ScriptedUpstream upstream;
        UpstreamRequest post = get(upstream.url());
        post.method = "POST";
        post.streamBody = true;
        Outcome outcome;
        const auto exchange = m_pool->start(post, &outcome);
        exchange->writeBody("part one, ");
        exchange->writeBody("part two");
        exchange->endBody();
        QTRY_VERIFY(outcome.complete);
        QCOMPARE(upstream.requests().last().headers.value("Transfer-Encoding"), QByteArray("chunked"));
        QCOMPARE(upstream.requests().last().body, QByteArray("part one, part two"));
    }

    // A plain upstream named by host name is looked up (each address tried in turn: "localhost" may come first as
    // ::1, where nothing listens); a name that does not resolve fails the exchange as a connect failure.
    void hostNamesAreLookedUp()
    {
        ScriptedUpstream upstream;
        upstream.setResponder(raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        QUrl byName = upstream.url();
        byName.setHost(QStringLiteral("localhost"));
        const Outcome outcome = run(get(byName));
        QVERIFY2(outcome.complete, qPrintable(outcome.error ? outcome.error->message : QString()));
        QCOMPARE(outcome.body, QByteArray("ok"));

        const Outcome unknown = run(get(QUrl(QStringLiteral("http://no-such-host.invalid:8080"))));
        QVERIFY(unknown.error.has_value());
        QCOMPARE(unknown.error->kind, UpstreamErrorKind::ConnectFailed);
    }

    void refusedConnectionIsConnectFailed()
    {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        const qint64 failedBefore = m_stats.errors[size_t(HttpErrorKind::UpstreamConnectFailed)].load();
        const Outcome outcome = run(get(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(closedPort))));
        QVERIFY(outcome.error.has_value());
        QCOMPARE(outcome.error->kind, UpstreamErrorKind::ConnectFailed);
        QCOMPARE(outcome.error->kindName(), QStringLiteral("connect_failed"));
        QCOMPARE(m_stats.errors[size_t(HttpErrorKind::UpstreamConnectFailed)].load(), failedBefore + 1);
    }

    void unsupportedOriginFailsAfterStartReturns()
    {
        UpstreamRequest request;
        request.origin = UpstreamOrigin::fromUrl(QUrl(QStringLiteral("ftp://127.0.0.1:21")));
        const Outcome outcome = run(request);
        QVERIFY(outcome.error.has_value());
        QCOMPARE(outcome.error->kind, UpstreamErrorKind::ConnectFailed);
    }

    void silentUpstreamIsATimeout()
    {
        m_limits.upstreamResponseTimeoutMs = 200;
        ScriptedUpstream upstream;
        upstream.setResponder([](const ScriptedUpstream::Request&, QTcpSocket*) {});
        const Outcome outcome = run(get(upstream.url()));
        QVERIFY(outcome.error.has_value());
        QCOMPARE(outcome.error->kind, UpstreamErrorKind::Timeout);
    }

    // Measured from the last bytes, not from the head: a stream that keeps trickling lives longer than the timeout.
    void upstreamFallingSilentMidBodyIsATimeout()
    {
        m_limits.upstreamStallTimeoutMs = 300;
        ScriptedUpstream upstream;
        upstream.setResponder([](const ScriptedUpstream::Request&, QTcpSocket* socket) {
            socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\np0\r\n");
            for (int i = 1; i <= 4; ++i) // 150 ms apart: 600 ms in all, each gap under the timeout
                QTimer::singleShot(150 * i, socket,
                                   [socket, i] { socket->write("2\r\np" + QByteArray::number(i) + "\r\n"); });
        });
        const Outcome outcome = run(get(upstream.url()));
        QCOMPARE(outcome.status, 200);
        QCOMPARE(outcome.body, QByteArray("p0p1p2p3p4")); // with the timer counted from the head: "p0p1"
        QVERIFY(outcome.error.has_value());
        QCOMPARE(outcome.error->kind, UpstreamErrorKind::Timeout);
        QVERIFY(outcome.error->responseStarted);
    }

    void garbageIsAProtocolError()
    {
        ScriptedUpstream upstream;
        upstream.setResponder(raw("SSH-2.0-OpenSSH\r\n\r\n"));
        const Outcome outcome = run(get(upstream.url()));
        QVERIFY(outcome.error.has_value());
        QCOMPARE(outcome.error->kind, UpstreamErrorKind::Protocol);
        QVERIFY(outcome.error->responseStarted);
    }

    void cutMidBodyIsAResetAfterTheResponseStarted()
    {
        ScriptedUpstream upstream;
        upstream.setResponder(raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part", true));
        const Outcome outcome = run(get(upstream.url()));
        QCOMPARE(outcome.status, 200);
        QCOMPARE(outcome.body, QByteArray("only part"));
        QVERIFY(outcome.error.has_value());
        QCOMPARE(outcome.error->kind, UpstreamErrorKind::Reset);
        QVERIFY(outcome.error->responseStarted);
    }

    void tlsUpstreamIsVerifiedWithTheExtraCa()
    {
        TestCertificates certificates;
        QVERIFY(certificates.isValid());
        ScriptedUpstream upstream(certificates.serverConfiguration());
        QCOMPARE(upstream.url().scheme(), QStringLiteral("https"));

        const Outcome untrusted = run(get(upstream.url()));
        QVERIFY(untrusted.error.has_value());
        QCOMPARE(untrusted.error->kind, UpstreamErrorKind::Tls);

        UpstreamPool trusting(m_limits, certificates.caFile(), m_stats);
        for (int i = 0; i < 2; ++i) {
            const Outcome outcome = run(get(upstream.url()), &trusting);
            QVERIFY(outcome.complete);
            QCOMPARE(outcome.body, QByteArray("hello"));
        }
        QCOMPARE(upstream.connectionCount(), 1); // one TLS connection reused (the rejected handshake never counted)
    }

    // A listener may delete the exchange from inside its call, with more of the response already read (here the whole
    // body arrives with the head): nothing more is reported, and the connection is not pooled.
    void listenerMayDeleteTheExchangeFromItsCall()
    {
        ScriptedUpstream upstream;
        upstream.setResponder(raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
        struct DeletingListener final : UpstreamExchange::Listener
        {
            std::unique_ptr<UpstreamExchange> exchange;
            int calls = 0;
            void responseHead(int, const HttpHeaders&) override
            {
                ++calls;
                exchange.reset();
            }
            void responseData(const QByteArray&) override { ++calls; }
            void finished() override { ++calls; }
            void failed(const UpstreamError&) override { ++calls; }
        } listener;
        QSignalSpy closed(&upstream, &ScriptedUpstream::connectionClosed);
        listener.exchange = m_pool->start(get(upstream.url()), &listener);
        QTRY_VERIFY(!listener.exchange);
        QTRY_COMPARE(closed.count(), 1);
        QCOMPARE(listener.calls, 1);
        QCOMPARE(m_pool->idleConnectionCount(), 0);
    }

    void deletingTheExchangeClosesItsConnection()
    {
        ScriptedUpstream upstream;
        upstream.setResponder(raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nstart"));
        Outcome outcome;
        auto exchange = m_pool->start(get(upstream.url()), &outcome);
        QTRY_COMPARE(outcome.body, QByteArray("start"));
        QSignalSpy closed(&upstream, &ScriptedUpstream::connectionClosed);
        exchange.reset();
        QVERIFY(closed.wait());
        QCOMPARE(m_pool->idleConnectionCount(), 0);
    }
};

GATEHOUSE_TEST_MAIN(TestUpstreamPool)
#include "TestUpstreamPool.moc"
