#include "BuiltinTypes.h"
#include "TestRegistry.h"
#include "providers/ProviderProfile.h"
#include "providers/RouteAllowlist.h"

#include <QJsonArray>
#include <QTest>

class TestRouteAllowlist : public QObject
{
    Q_OBJECT

private slots:
    void matches_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("exact") << "POST /v1/chat/completions" << QByteArray("POST")
                               << QByteArray("/v1/chat/completions") << true;
        QTest::newRow("other method") << "POST /v1/chat/completions" << QByteArray("GET")
                                      << QByteArray("/v1/chat/completions") << false;
        QTest::newRow("longer path") << "POST /v1/chat/completions" << QByteArray("POST")
                                     << QByteArray("/v1/chat/completions/abc") << false;
        QTest::newRow("trailing slash") << "POST /v1/chat/completions" << QByteArray("POST")
                                        << QByteArray("/v1/chat/completions/") << false;
        QTest::newRow("shorter path") << "GET /v1/models/*" << QByteArray("GET") << QByteArray("/v1/models") << false;
        QTest::newRow("one segment") << "GET /v1/models/*" << QByteArray("GET") << QByteArray("/v1/models/gpt-4o")
                                     << true;
        QTest::newRow("star stops at a slash")
            << "GET /v1/models/*" << QByteArray("GET") << QByteArray("/v1/models/a/b") << false;
        QTest::newRow("star needs a character")
            << "GET /v1/models/*" << QByteArray("GET") << QByteArray("/v1/models/") << false;
        QTest::newRow("star with a suffix") << "POST /v1beta/models/*:generateContent" << QByteArray("POST")
                                            << QByteArray("/v1beta/models/gemini-2.0-flash:generateContent") << true;
        QTest::newRow("suffix differs") << "POST /v1beta/models/*:generateContent" << QByteArray("POST")
                                        << QByteArray("/v1beta/models/gemini-2.0-flash:batchGenerateContent") << false;
        QTest::newRow("any method") << "* /healthz" << QByteArray("DELETE") << QByteArray("/healthz") << true;
        QTest::newRow("options asterisk") << "* /healthz" << QByteArray("OPTIONS") << QByteArray("*") << false;
    }

    void matches()
    {
        QFETCH(QString, pattern);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(bool, allowed);
        const auto allowlist = RouteAllowlist::fromJson(QJsonArray{pattern});
        QVERIFY(allowlist.ok());
        QCOMPARE(allowlist->allows(method, path), allowed);
    }

    void unsetAllowsEverything()
    {
        const auto unset = RouteAllowlist::fromJson(QJsonValue());
        QVERIFY(unset.ok() && unset->allowsEverything());
        QVERIFY(unset->allows("DELETE", "/v1/files/file-1"));
        const auto empty = RouteAllowlist::fromJson(QJsonArray());
        QVERIFY(empty.ok() && !empty->allows("GET", "/v1/models"));
    }

    void badEntriesAreNamed_data()
    {
        QTest::addColumn<QJsonValue>("routes");
        QTest::newRow("not a list") << QJsonValue(QStringLiteral("POST /v1/messages"));
        QTest::newRow("no method") << QJsonValue(QJsonArray{QStringLiteral("/v1/messages")});
        QTest::newRow("lower-case method") << QJsonValue(QJsonArray{QStringLiteral("post /v1/messages")});
        QTest::newRow("no leading slash") << QJsonValue(QJsonArray{QStringLiteral("POST v1/messages")});
        QTest::newRow("space in the path") << QJsonValue(QJsonArray{QStringLiteral("POST /v1/a b")});
        QTest::newRow("query") << QJsonValue(QJsonArray{QStringLiteral("POST /v1/messages?x=1")});
        QJsonArray many;
        for (int i = 0; i <= RouteAllowlist::kMaxRoutes; ++i)
            many.append(QStringLiteral("GET /v1/x%1").arg(i));
        QTest::newRow("too many") << QJsonValue(many);
    }

    void badEntriesAreNamed()
    {
        QFETCH(QJsonValue, routes);
        const auto allowlist = RouteAllowlist::fromJson(routes);
        QVERIFY(!allowlist.ok());
        QVERIFY(allowlist.error().message.contains(QLatin1String("'allowedRoutes'")));
    }

    // The built-in types serve what their SDKs call for inference, and none of the provider's stored data.
    void builtinTypesKeepStoredDataOutOfReach_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("openai chat") << "openai" << QByteArray("POST") << QByteArray("/v1/chat/completions") << true;
        QTest::newRow("openai responses") << "openai" << QByteArray("POST") << QByteArray("/v1/responses") << true;
        QTest::newRow("openai embeddings") << "openai" << QByteArray("POST") << QByteArray("/v1/embeddings") << true;
        QTest::newRow("openai model") << "openai" << QByteArray("GET") << QByteArray("/v1/models/gpt-4o") << true;
        QTest::newRow("openai stored completions")
            << "openai" << QByteArray("GET") << QByteArray("/v1/chat/completions") << false;
        QTest::newRow("openai stored response")
            << "openai" << QByteArray("GET") << QByteArray("/v1/responses/resp_1") << false;
        QTest::newRow("openai files") << "openai" << QByteArray("GET") << QByteArray("/v1/files") << false;
        QTest::newRow("openai file delete")
            << "openai" << QByteArray("DELETE") << QByteArray("/v1/files/file-1") << false;
        QTest::newRow("openai batches") << "openai" << QByteArray("POST") << QByteArray("/v1/batches") << false;
        QTest::newRow("openai fine-tunes")
            << "openai" << QByteArray("GET") << QByteArray("/v1/fine_tuning/jobs") << false;
        QTest::newRow("anthropic messages") << "anthropic" << QByteArray("POST") << QByteArray("/v1/messages") << true;
        QTest::newRow("anthropic count") << "anthropic" << QByteArray("POST") << QByteArray("/v1/messages/count_tokens")
                                         << true;
        QTest::newRow("anthropic batches")
            << "anthropic" << QByteArray("POST") << QByteArray("/v1/messages/batches") << false;
        QTest::newRow("anthropic files") << "anthropic" << QByteArray("GET") << QByteArray("/v1/files") << false;
        QTest::newRow("gemini generate") << "gemini" << QByteArray("POST")
                                         << QByteArray("/v1beta/models/gemini-2.0-flash:generateContent") << true;
        QTest::newRow("gemini stream") << "gemini" << QByteArray("POST")
                                       << QByteArray("/v1beta/models/gemini-2.0-flash:streamGenerateContent") << true;
        QTest::newRow("gemini cached contents")
            << "gemini" << QByteArray("GET") << QByteArray("/v1beta/cachedContents") << false;
        QTest::newRow("gemini files") << "gemini" << QByteArray("GET") << QByteArray("/v1beta/files") << false;
    }

    void builtinTypesKeepStoredDataOutOfReach()
    {
        QFETCH(QString, type);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(bool, allowed);
        QCOMPARE(BuiltinTypes::profile(type).allowedRoutes.allows(method, path), allowed);
    }
};

GATEHOUSE_TEST_MAIN(TestRouteAllowlist)
#include "TestRouteAllowlist.moc"
