#include "TestRegistry.h"
#include "providers/ProviderProfile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {

QJsonObject valid()
{
    return QJsonDocument::fromJson("{\"name\":\"mistral\",\"base_url\":\"https://api.mistral.ai\","
                                   "\"auth_header\":\"Authorization\",\"auth_template\":\"Bearer {key}\","
                                   "\"client_key\":{\"headers\":[\"Authorization\"]},\"error_format\":\"openai\","
                                   "\"default_headers\":{\"X-Extra\":\"1\"},"
                                   "\"usage\":{\"model\":[\"model\"],\"prompt_tokens\":[\"usage.prompt_tokens\"]}}")
        .object();
}

} // namespace

class TestProviderProfile : public QObject
{
    Q_OBJECT

private slots:
    void builtinsParse()
    {
        for (const QString& name : ProviderProfile::builtinNames()) {
            const auto profile = ProviderProfile::fromJson(ProviderProfile::builtinJson(name));
            QVERIFY2(profile.ok(), qPrintable(name));
            QCOMPARE(profile->name, name);
            QVERIFY(!profile->usage.promptTokens.isEmpty());
            QVERIFY(!profile->usage.completionTokens.isEmpty());
        }
        QVERIFY(ProviderProfile::builtinJson(QStringLiteral("nope")).isEmpty());
        const ProviderProfile gemini = ProviderProfile::builtin(QStringLiteral("gemini"));
        QCOMPARE(gemini.clientKeyQuery, QByteArray("key"));
        QCOMPARE(gemini.usage.modelFromPath, QStringLiteral("/models/{model}:"));
        QCOMPARE(gemini.errorFormat, ErrorFormat::Gemini);
        const ProviderProfile anthropic = ProviderProfile::builtin(QStringLiteral("anthropic"));
        QCOMPARE(anthropic.defaultHeaders, (QList<QPair<QByteArray, QByteArray>>{{"anthropic-version", "2023-06-01"}}));
        QVERIFY(anthropic.usage.promptExcludesCache);
        QCOMPARE(anthropic.usage.cacheWriteTokens.first(),
                 (QStringList{QStringLiteral("usage"), QStringLiteral("cache_creation_input_tokens")}));
    }

    void customType()
    {
        const auto profile = ProviderProfile::fromJson(valid());
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
        QTest::newRow("ftp url") << "base_url" << QJsonValue("ftp://example.com");
        QTest::newRow("no host") << "base_url" << QJsonValue("https://");
        QTest::newRow("no auth header") << "auth_header" << QJsonValue(QString());
        QTest::newRow("template without key") << "auth_template" << QJsonValue("Bearer");
        QTest::newRow("unknown error format") << "error_format" << QJsonValue("cohere");
        QTest::newRow("no client key place") << "client_key" << QJsonValue(QJsonObject());
        QTest::newRow("usage path not a list")
            << "usage" << QJsonValue(QJsonObject{{"prompt_tokens", "usage.prompt_tokens"}});
        QTest::newRow("empty path segment")
            << "usage" << QJsonValue(QJsonObject{{"prompt_tokens", QJsonArray{"usage..prompt_tokens"}}});
        QTest::newRow("model_from_path without {model}")
            << "usage" << QJsonValue(QJsonObject{{"model_from_path", "/models/"}});
    }

    void invalid()
    {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QJsonObject json = valid();
        json.insert(key, value);
        const auto profile = ProviderProfile::fromJson(json);
        QVERIFY(!profile.ok());
        QCOMPARE(profile.error().code, QStringLiteral("invalid_argument"));
        QVERIFY(!profile.error().message.isEmpty());
    }
};

GATEHOUSE_TEST_MAIN(TestProviderProfile)
#include "TestProviderProfile.moc"
