#include "BuiltinTypes.h"
#include "TestRegistry.h"
#include "providers/ApiFormat.h"
#include "providers/ProviderProfile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {

// A type an admin defined, as the admin API shows it.
QJsonObject valid()
{
    return {{"name", "mistral"},
            {"apiFormat", "openai"},
            {"baseUrl", "https://api.mistral.ai"},
            {"authHeader", "Authorization"},
            {"authTemplate", "Bearer {key}"},
            {"keyQueryParam", QJsonValue::Null},
            {"defaultHeaders", QJsonObject{{"X-Extra", "1"}}},
            {"usagePaths", QJsonObject{{"prompt_tokens", QJsonArray{"usage.prompt_tokens"}}}},
            {"modelPaths", QJsonObject{{"response", QJsonArray{"model"}}}},
            {"streamEventRoots", QJsonObject()},
            {"allowedRoutes", QJsonValue::Null}};
}

} // namespace

class TestProviderProfile : public QObject
{
    Q_OBJECT

private slots:
    void builtinsParse()
    {
        for (const QString& format : ApiFormat::names()) {
            const auto profile = ProviderProfile::fromType(BuiltinTypes::type(format));
            QVERIFY2(profile.ok(), qPrintable(format));
            QCOMPARE(profile->name, format);
            QVERIFY(!profile->usage.promptTokens.isEmpty());
            QVERIFY(!profile->usage.completionTokens.isEmpty());
        }
        const ProviderProfile gemini = BuiltinTypes::profile(QStringLiteral("gemini"));
        QCOMPARE(gemini.clientKeyQuery, QByteArray("key"));
        QCOMPARE(gemini.clientKeyHeaders, (QList<QByteArray>{"x-goog-api-key", "authorization"}));
        QCOMPARE(gemini.usage.modelFromPath, QStringLiteral("/models/{model}:"));
        QCOMPARE(gemini.errorFormat, ErrorFormat::Gemini);
        const ProviderProfile anthropic = BuiltinTypes::profile(QStringLiteral("anthropic"));
        QCOMPARE(anthropic.defaultHeaders, (QList<QPair<QByteArray, QByteArray>>{{"anthropic-version", "2023-06-01"}}));
        QVERIFY(anthropic.usage.promptExcludesCache);
        // Paths apply at the root and under each stream event root (message_start keeps usage under "message").
        QCOMPARE(anthropic.usage.cacheWriteTokens,
                 (QList<QStringList>{{QStringLiteral("usage"), QStringLiteral("cache_creation_input_tokens")},
                                     {QStringLiteral("message"), QStringLiteral("usage"),
                                      QStringLiteral("cache_creation_input_tokens")}}));
    }

    void customType()
    {
        const auto profile = ProviderProfile::fromType(valid());
        QVERIFY(profile.ok());
        QCOMPARE(profile->authHeader, QByteArray("authorization"));
        QCOMPARE(profile->clientKeyHeaders, QList<QByteArray>{"authorization"});
        QCOMPARE(profile->defaultHeaders, (QList<QPair<QByteArray, QByteArray>>{{"x-extra", "1"}}));
        QCOMPARE(profile->baseUrl, QUrl(QStringLiteral("https://api.mistral.ai")));
        QCOMPARE(profile->usage.model, QList<QStringList>{QStringList{QStringLiteral("model")}});
    }

    void invalid_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::newRow("no name") << "name" << QJsonValue(QString());
        QTest::newRow("ftp url") << "baseUrl" << QJsonValue("ftp://example.com");
        QTest::newRow("no host") << "baseUrl" << QJsonValue("https://");
        QTest::newRow("no auth header") << "authHeader" << QJsonValue(QString());
        QTest::newRow("template without key") << "authTemplate" << QJsonValue("Bearer");
        QTest::newRow("unknown api format") << "apiFormat" << QJsonValue("cohere");
        QTest::newRow("usage path not a list")
            << "usagePaths" << QJsonValue(QJsonObject{{"prompt_tokens", "usage.prompt_tokens"}});
        QTest::newRow("empty path segment")
            << "usagePaths" << QJsonValue(QJsonObject{{"prompt_tokens", QJsonArray{"usage..prompt_tokens"}}});
        QTest::newRow("url model path without {model}") << "modelPaths" << QJsonValue(QJsonObject{{"url", "/models/"}});
        QTest::newRow("route without a method") << "allowedRoutes" << QJsonValue(QJsonArray{"/v1/chat/completions"});
    }

    void invalid()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QJsonObject json = valid();
        json.insert(key, value);
        const auto profile = ProviderProfile::fromType(json);
        QVERIFY(!profile.ok());
        QCOMPARE(profile.error().code, QStringLiteral("invalid_argument"));
        QVERIFY(!profile.error().message.isEmpty());
    }
};

GATEHOUSE_TEST_MAIN(TestProviderProfile)
#include "TestProviderProfile.moc"
