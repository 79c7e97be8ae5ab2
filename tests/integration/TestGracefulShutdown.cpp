#include "FakeOpenAI.h"
#include "GatewayFixture.h"
#include "GatewayHarness.h"
#include "TestRegistry.h"

#include "storage/Database.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

// What SIGTERM does (GatewayService::stop): requests in flight finish, and every request has its trace.
class TestGracefulShutdown : public QObject
{
    Q_OBJECT

private:
    // A streamed chat completion through the gateway, as an OpenAI SDK sends it.
    static QNetworkReply* postChatStream(QNetworkAccessManager& network, GatewayHarness& gateway, const QByteArray& key)
    {
        QNetworkRequest request(gateway.proxyUrl(QStringLiteral("/v1/chat/completions")));
        request.setRawHeader("Authorization", "Bearer " + key);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        return network.post(request, R"({"model":"gpt-4o-mini","messages":[],"stream":true})");
    }

private slots:
    void inFlightRequestsFinishAndEveryOneIsTraced()
    {
        FakeOpenAI openai;
        openai.addApiKey(QStringLiteral("sk-provider"));
        QVERIFY(openai.listen());
        GatewayHarness gateway;
        QVERIFY(gateway.start());
        GatewayFixture fixture(gateway.service());
        fixture.pointProviderAt(QStringLiteral("openai"), openai.url());
        const QByteArray key =
            fixture.addGatewayKey(QStringLiteral("openai"),
                                  {fixture.addProviderKey(QStringLiteral("openai"), QStringLiteral("sk-provider"))});

        // Some requests finish before the stop, the rest are still waiting for their slow first byte during it.
        constexpr int kQuick = 3;
        constexpr int kSlow = 4;
        QNetworkAccessManager network;
        QList<QNetworkReply*> replies;
        const auto send = [&] { replies.append(postChatStream(network, gateway, key)); };
        for (int i = 0; i < kQuick; ++i)
            send();
        QTRY_VERIFY(std::all_of(replies.begin(), replies.end(), [](QNetworkReply* r) { return r->isFinished(); }));
        openai.setBehavior(FakeBehavior::slowFirstByte(700));
        for (int i = 0; i < kSlow; ++i)
            send();
        QTRY_COMPARE(openai.requests().size(), kQuick + kSlow);

        gateway.stop();
        QVERIFY(!gateway.service().isRunning());

        QTRY_VERIFY(std::all_of(replies.begin(), replies.end(), [](QNetworkReply* r) { return r->isFinished(); }));
        for (QNetworkReply* reply : replies) {
            QCOMPARE(reply->error(), QNetworkReply::NoError);
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
            QVERIFY(reply->readAll().contains("[DONE]"));
        }
        // Read back through a connection of its own, after the gateway closed its own.
        Database database(gateway.config());
        auto count = database.exec(QStringLiteral("SELECT COUNT(*), SUM(success) FROM traces"));
        QVERIFY(count && count->next());
        QCOMPARE(count->value(0).toInt(), kQuick + kSlow);
        QCOMPARE(count->value(1).toInt(), kQuick + kSlow);
    }

    // A stop does not wait forever: what is still running when the drain time is up is cut, the client can tell,
    // and the trace says the gateway stopped (not that the client left).
    void requestsOutlastingTheDrainAreCutAndTracedAsShutdown()
    {
        FakeOpenAI openai;
        openai.addApiKey(QStringLiteral("sk-provider"));
        QVERIFY(openai.listen());
        GatewayHarness gateway([](Config& config) { config.drainTimeoutMs = 300; });
        QVERIFY(gateway.start());
        GatewayFixture fixture(gateway.service());
        fixture.pointProviderAt(QStringLiteral("openai"), openai.url());
        const QByteArray key =
            fixture.addGatewayKey(QStringLiteral("openai"),
                                  {fixture.addProviderKey(QStringLiteral("openai"), QStringLiteral("sk-provider"))});

        QNetworkAccessManager network;
        QList<QNetworkReply*> replies;
        const auto send = [&] { replies.append(postChatStream(network, gateway, key)); };
        openai.setBehavior(FakeBehavior::slowStream(200)); // streams for seconds: started, then cut
        send();
        QTRY_COMPARE(openai.requests().size(), 1);
        QSignalSpy firstBytes(replies.first(), &QNetworkReply::readyRead);
        QVERIFY(firstBytes.wait(5'000));
        openai.setBehavior(FakeBehavior::hang()); // never answers: cut before its first byte
        send();
        QTRY_COMPARE(openai.requests().size(), 2);

        gateway.stop();
        QVERIFY(!gateway.service().isRunning());

        QTRY_VERIFY(std::all_of(replies.begin(), replies.end(), [](QNetworkReply* r) { return r->isFinished(); }));
        for (QNetworkReply* reply : replies) // a cut stream is not a complete answer
            QVERIFY2(reply->error() != QNetworkReply::NoError || !reply->readAll().contains("[DONE]"),
                     qPrintable(reply->errorString()));
        Database database(gateway.config());
        auto rows = database.exec(QStringLiteral("SELECT success, error_kind, streamed FROM traces ORDER BY id"));
        QVERIFY(rows);
        int count = 0;
        while (rows->next()) {
            ++count;
            QCOMPARE(rows->value(0).toInt(), 0);
            QCOMPARE(rows->value(1).toString(), QStringLiteral("shutdown"));
        }
        QCOMPARE(count, 2);
    }
};

GATEHOUSE_TEST_MAIN(TestGracefulShutdown)
#include "TestGracefulShutdown.moc"
