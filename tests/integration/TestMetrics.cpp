#include "FakeOpenAI.h"
#include "GatewayFixture.h"
#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "TestRegistry.h"

#include "storage/Database.h"

#include <QNetworkInterface>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTest>

// GET /metrics as Prometheus scrapes it, after traffic whose counts the test knows; who may scrape; and the health
// probes of both ports.
class TestMetrics : public QObject
{
    Q_OBJECT

private:
    static constexpr const char* kScrapeToken = "scrape-token-0123456789abcdef";
    GatewayHarness m_gateway{[](Config& config) { config.metricsToken = QLatin1String(kScrapeToken); }};
    HttpTestClient m_client;
    FakeOpenAI m_openai;
    QByteArray m_gatewayKey;
    qint64 m_providerKeyId = 0;

    HttpTestClient::Response scrape(const QByteArray& authorization)
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!authorization.isEmpty())
            headers.append({"Authorization", authorization});
        return m_client.get(m_gateway.adminUrl(QStringLiteral("/metrics")), headers);
    }

    // The value of one series, by its exact name and labels as the exposition writes them; -1 when absent.
    static double value(const QByteArray& text, const QByteArray& series)
    {
        for (const QByteArray& line : text.split('\n')) {
            if (line.startsWith(series + ' '))
                return line.mid(series.size() + 1).toDouble();
        }
        return -1;
    }

    int chat(const QByteArray& key)
    {
        return m_client
            .post(m_gateway.proxyUrl(QStringLiteral("/v1/chat/completions")),
                  "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                  {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}})
            .status;
    }

private slots:
    void initTestCase()
    {
        m_openai.addApiKey(QStringLiteral("sk-provider-metrics"));
        m_openai.setUsage({.promptTokens = 21, .completionTokens = 8});
        QVERIFY(m_openai.listen());
        QVERIFY(m_gateway.start());
        GatewayFixture fixture(m_gateway.service());
        fixture.pointProviderAt(QStringLiteral("openai"), m_openai.url());
        m_providerKeyId = fixture.addProviderKey(QStringLiteral("openai"), QStringLiteral("sk-provider-metrics"));
        m_gatewayKey = fixture.addGatewayKey(QStringLiteral("openai"), {m_providerKeyId});
    }

    void countsWhatWasServed()
    {
        const QByteArray auth = QByteArray("Bearer ") + kScrapeToken;
        const QByteArray before = scrape(auth).body;
        const double okBefore =
            qMax(0.0, value(before,
                            "gatehouse_requests_total{provider=\"openai\",status_class=\"2xx\",error_kind=\"none\"}"));
        for (int i = 0; i < 5; ++i)
            QCOMPARE(chat(m_gatewayKey), 200);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(chat("gh-not-a-key-at-all"), 401);

        const auto scraped = scrape(auth);
        QCOMPARE(scraped.status, 200);
        QVERIFY(scraped.header("content-type").startsWith("text/plain; version=0.0.4"));
        const QByteArray text = scraped.body;
        QCOMPARE(value(text, "gatehouse_requests_total{provider=\"openai\",status_class=\"2xx\",error_kind=\"none\"}"),
                 okBefore + 5);
        QVERIFY(value(text,
                      "gatehouse_requests_total{provider=\"\",status_class=\"4xx\",error_kind=\"invalid_key\"}") >= 3);
        // The histogram: cumulative buckets that never fall, +Inf equal to the count, a sum in seconds.
        const QByteArray duration = "gatehouse_request_duration_seconds_bucket{provider=\"openai\",le=\"";
        double previous = 0;
        for (const char* bound : {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30",
                                  "60", "120", "300", "+Inf"}) {
            const double count = value(text, duration + bound + "\"}");
            QVERIFY2(count >= previous, bound);
            previous = count;
        }
        QCOMPARE(previous, okBefore + 5);
        QCOMPARE(value(text, "gatehouse_request_duration_seconds_count{provider=\"openai\"}"), okBefore + 5);
        const double seconds = value(text, "gatehouse_request_duration_seconds_sum{provider=\"openai\"}");
        QVERIFY(seconds > 0 && seconds < 5 * 10);
        QCOMPARE(value(text, "gatehouse_time_to_first_byte_seconds_count{provider=\"openai\"}"), okBefore + 5);
        QCOMPARE(value(text, "gatehouse_tokens_total{provider=\"openai\",direction=\"input\"}"), 21 * (okBefore + 5));
        QCOMPARE(value(text, "gatehouse_tokens_total{provider=\"openai\",direction=\"output\"}"), 8 * (okBefore + 5));

        const QByteArray key = QByteArray::number(m_providerKeyId);
        QCOMPARE(value(text, "gatehouse_provider_key_state{key_id=\"" + key + "\",state=\"healthy\"}"), 1);
        QCOMPARE(value(text, "gatehouse_provider_key_state{key_id=\"" + key + "\",state=\"ejected\"}"), 0);
        QCOMPARE(value(text, "gatehouse_provider_key_in_flight{key_id=\"" + key + "\"}"), 0);
        QVERIFY(value(text, "gatehouse_provider_key_outcomes_total{key_id=\"" + key + "\",outcome=\"success\"}") >= 5);
        QVERIFY(value(text, "gatehouse_http_requests_total") >= 8);
        QCOMPARE(value(text, "gatehouse_database_up"), 1);
        QCOMPARE(value(text, "gatehouse_redis_configured"), 0);
        QVERIFY(value(text, "process_resident_memory_bytes") > 1e6);

        // The trace writer: every trace written once it has had its flush.
        QTRY_VERIFY(value(scrape(auth).body, "gatehouse_traces_total{result=\"written\"}") >= okBefore + 8);
        QVERIFY(value(scrape(auth).body, "gatehouse_trace_batch_duration_seconds_count") >= 1);

        // Nothing a client chose becomes a label: not the key it sent, not its path.
        QVERIFY(!text.contains("gh-not-a-key-at-all"));
        QVERIFY(!text.contains("chat/completions"));
        // Every sample line belongs to a family announced before it.
        QRegularExpression sampleName(QStringLiteral("^([a-z_]+?)(_bucket|_sum|_count)?[{ ]"));
        QSet<QString> families;
        for (const QByteArray& line : text.split('\n')) {
            if (line.startsWith("# TYPE "))
                families.insert(QString::fromLatin1(line.split(' ').value(2)));
            else if (!line.isEmpty() && !line.startsWith('#')) {
                const auto match = sampleName.match(QString::fromLatin1(line));
                QVERIFY2(match.hasMatch() && (families.contains(match.captured(1)) ||
                                              families.contains(match.captured(1) + match.captured(2))),
                         line.constData());
            }
        }
    }

    void onlyTheScrapeTokenMayRead()
    {
        QCOMPARE(scrape({}).status, 401);
        QCOMPARE(scrape("Bearer wrong-token").status, 401);
        QCOMPARE(scrape(QByteArray("Bearer ") + kScrapeToken + "x").status, 401);
        QCOMPARE(scrape(QByteArray("Basic ") + kScrapeToken).status, 401);
        const auto login = m_gateway.login(); // an admin's session is not the scrape token
        QCOMPARE(scrape("Bearer " + login.first).status, 401);
        QVERIFY(!scrape("Bearer wrong-token").body.contains("gatehouse_"));
    }

    // Without a token, this machine may scrape (the admin listener is on loopback by default).
    void withoutATokenThisMachineMayScrape()
    {
        GatewayHarness open;
        QVERIFY(open.start());
        const auto scraped = m_client.get(open.adminUrl(QStringLiteral("/metrics")));
        QCOMPARE(scraped.status, 200);
        QVERIFY(scraped.body.contains("gatehouse_database_up 1"));
    }

    // A client that reaches the admin listener from another machine (here: over this machine's own network address,
    // which is not loopback) gets no metrics without the token.
    void withoutATokenStrangersMayNot()
    {
        QHostAddress network;
        for (const QHostAddress& address : QNetworkInterface::allAddresses()) {
            if (!address.isLoopback() && address.protocol() == QAbstractSocket::IPv4Protocol)
                network = address;
        }
        if (network.isNull())
            QSKIP("this machine has no network address besides loopback");
        GatewayHarness open([](Config& config) { config.admin.address = QHostAddress(QHostAddress::AnyIPv4); });
        QVERIFY(open.start());
        QUrl url = open.adminUrl(QStringLiteral("/metrics"));
        url.setHost(network.toString());
        const auto refused = m_client.get(url);
        QCOMPARE(refused.status, 403);
        QVERIFY(!refused.body.contains("gatehouse_"));
    }

    // Not ready while the database cannot show that its migrations are applied; ready again when it can.
    void notReadyWhileTheSchemaCannotBeRead()
    {
        Database& database = m_gateway.service().database();
        QVERIFY(database.exec(QStringLiteral("ALTER TABLE schema_version RENAME TO schema_version_away")).ok());
        auto restore = qScopeGuard([&] { // also when a check below fails: the later tests need the table
            (void)database.exec(QStringLiteral("ALTER TABLE schema_version_away RENAME TO schema_version"));
        });
        for (const QUrl& url :
             {m_gateway.adminUrl(QStringLiteral("/readyz")), m_gateway.proxyUrl(QStringLiteral("/readyz"))})
            QTRY_COMPARE_WITH_TIMEOUT(m_client.get(url).status, 503, 5000);
        QCOMPARE(m_client.get(m_gateway.proxyUrl(QStringLiteral("/readyz"))).body,
                 QByteArray("{\"status\":\"not ready\"}"));
        QCOMPARE(m_client.get(m_gateway.adminUrl(QStringLiteral("/healthz"))).status, 200); // alive all the same
        restore.dismiss();
        QVERIFY(database.exec(QStringLiteral("ALTER TABLE schema_version_away RENAME TO schema_version")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(m_client.get(m_gateway.adminUrl(QStringLiteral("/readyz"))).status, 200, 5000);
    }

    void probesAnswerOnBothPorts()
    {
        for (const QUrl& url :
             {m_gateway.adminUrl(QStringLiteral("/healthz")), m_gateway.proxyUrl(QStringLiteral("/healthz"))})
            QCOMPARE(m_client.get(url).status, 200);
        for (const QUrl& url :
             {m_gateway.adminUrl(QStringLiteral("/readyz")), m_gateway.proxyUrl(QStringLiteral("/readyz"))}) {
            const auto ready = m_client.get(url);
            QCOMPARE(ready.status, 200);
            QCOMPARE(ready.body, QByteArray("{\"status\":\"ready\"}"));
        }
        // Only GET, and no details for strangers.
        QCOMPARE(m_client.post(m_gateway.adminUrl(QStringLiteral("/readyz")), "{}").status, 405);
    }
};

GATEHOUSE_TEST_MAIN(TestMetrics)
#include "TestMetrics.moc"
