#include "TestRegistry.h"
#include "providers/ProviderErrors.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

Q_DECLARE_METATYPE(GatewayError)

class TestProviderErrors : public QObject
{
    Q_OBJECT

private slots:
    // Before the key is known, the path (or Anthropic's version header) tells which SDK is calling.
    void theCallersFormatBeforeTheKeyIsKnown()
    {
        const HttpHeaders none;
        HttpHeaders anthropic;
        anthropic.append("anthropic-version", "2023-06-01");
        QCOMPARE(ProviderErrors::formatOfRequest("/v1beta/models/gemini-2.5-flash:generateContent", none),
                 ErrorFormat::Gemini);
        QCOMPARE(ProviderErrors::formatOfRequest("/v1/models/x:streamGenerateContent", none), ErrorFormat::Gemini);
        QCOMPARE(ProviderErrors::formatOfRequest("/v1/messages", none), ErrorFormat::Anthropic);
        QCOMPARE(ProviderErrors::formatOfRequest("/v1/models", anthropic), ErrorFormat::Anthropic);
        QCOMPARE(ProviderErrors::formatOfRequest("/v1/chat/completions", none), ErrorFormat::OpenAi);
    }

    void kinds_data()
    {
        QTest::addColumn<GatewayError>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("openAiType");
        QTest::addColumn<QString>("openAiCode"); // empty: null
        QTest::addColumn<QString>("anthropicType");
        QTest::addColumn<QString>("geminiStatus");
        QTest::newRow("missing key") << GatewayError::MissingKey << 401 << "missing_key"
                                     << "invalid_request_error"
                                     << ""
                                     << "authentication_error"
                                     << "UNAUTHENTICATED";
        QTest::newRow("invalid key") << GatewayError::InvalidKey << 401 << "invalid_key"
                                     << "invalid_request_error"
                                     << "invalid_api_key"
                                     << "authentication_error"
                                     << "UNAUTHENTICATED";
        QTest::newRow("disabled key") << GatewayError::KeyDisabled << 401 << "key_disabled"
                                      << "invalid_request_error"
                                      << "invalid_api_key"
                                      << "authentication_error"
                                      << "UNAUTHENTICATED";
        QTest::newRow("expired key") << GatewayError::KeyExpired << 401 << "key_expired"
                                     << "invalid_request_error"
                                     << "invalid_api_key"
                                     << "authentication_error"
                                     << "UNAUTHENTICATED";
        QTest::newRow("forbidden") << GatewayError::Forbidden << 403 << "forbidden"
                                   << "invalid_request_error"
                                   << "permission_denied"
                                   << "permission_error"
                                   << "PERMISSION_DENIED";
        QTest::newRow("rate limited") << GatewayError::RateLimited << 429 << "rate_limited"
                                      << "requests"
                                      << "rate_limit_exceeded"
                                      << "rate_limit_error"
                                      << "RESOURCE_EXHAUSTED";
        QTest::newRow("body too large") << GatewayError::BodyTooLarge << 413 << "body_too_large"
                                        << "invalid_request_error"
                                        << "request_too_large"
                                        << "request_too_large"
                                        << "INVALID_ARGUMENT";
        QTest::newRow("bad request") << GatewayError::BadRequest << 400 << "bad_request"
                                     << "invalid_request_error"
                                     << ""
                                     << "invalid_request_error"
                                     << "INVALID_ARGUMENT";
        QTest::newRow("upstream unavailable") << GatewayError::UpstreamUnavailable << 502 << "upstream_unavailable"
                                              << "server_error"
                                              << "upstream_unavailable"
                                              << "api_error"
                                              << "UNAVAILABLE";
        QTest::newRow("upstream timeout") << GatewayError::UpstreamTimeout << 504 << "upstream_timeout"
                                          << "server_error"
                                          << "upstream_timeout"
                                          << "api_error"
                                          << "DEADLINE_EXCEEDED";
        QTest::newRow("no healthy key") << GatewayError::NoHealthyKey << 503 << "no_healthy_key"
                                        << "server_error"
                                        << "no_healthy_key"
                                        << "overloaded_error"
                                        << "UNAVAILABLE";
        QTest::newRow("quota exceeded") << GatewayError::QuotaExceeded << 429 << "quota_exceeded"
                                        << "insufficient_quota"
                                        << "insufficient_quota"
                                        << "rate_limit_error"
                                        << "RESOURCE_EXHAUSTED";
        QTest::newRow("overloaded") << GatewayError::Overloaded << 503 << "overloaded"
                                    << "server_error"
                                    << "overloaded"
                                    << "overloaded_error"
                                    << "UNAVAILABLE";
        QTest::newRow("route not allowed") << GatewayError::RouteNotAllowed << 404 << "route_not_allowed"
                                           << "invalid_request_error"
                                           << ""
                                           << "not_found_error"
                                           << "NOT_FOUND";
        QTest::newRow("empty pool") << GatewayError::EmptyPool << 403 << "empty_pool"
                                    << "invalid_request_error"
                                    << "empty_pool"
                                    << "permission_error"
                                    << "PERMISSION_DENIED";
        QTest::newRow("internal") << GatewayError::Internal << 500 << "internal"
                                  << "server_error"
                                  << ""
                                  << "api_error"
                                  << "INTERNAL";
    }

    void kinds()
    {
        QFETCH(GatewayError, kind);
        QFETCH(int, status);
        QFETCH(QString, name);
        QFETCH(QString, openAiType);
        QFETCH(QString, openAiCode);
        QFETCH(QString, anthropicType);
        QFETCH(QString, geminiStatus);
        const QString message = QStringLiteral("Gatehouse: \"quoted\" \\ and\nnewline, ünïcode");
        QCOMPARE(ProviderErrors::httpStatus(kind), status);
        QCOMPARE(ProviderErrors::kindName(kind), name);

        QJsonParseError error;
        const QByteArray openAiBody = ProviderErrors::body(ErrorFormat::OpenAi, kind, message);
        const QJsonObject openAi = QJsonDocument::fromJson(openAiBody, &error).object().value("error").toObject();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(openAi.value("message").toString(), message);
        QCOMPARE(openAi.value("type").toString(), openAiType);
        QVERIFY(openAi.contains("param") && openAi.value("param").isNull());
        QCOMPARE(openAi.value("code"), openAiCode.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(openAiCode));
        QVERIFY(openAiBody.startsWith("{\"error\":{\"message\":"));

        const QByteArray anthropicBody = ProviderErrors::body(ErrorFormat::Anthropic, kind, message);
        const QJsonObject anthropic = QJsonDocument::fromJson(anthropicBody, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(anthropic.value("type").toString(), QStringLiteral("error"));
        QCOMPARE(anthropic.value("error").toObject().value("type").toString(), anthropicType);
        QCOMPARE(anthropic.value("error").toObject().value("message").toString(), message);
        QVERIFY(anthropicBody.startsWith("{\"type\":\"error\",\"error\":{\"type\":"));

        const QJsonObject gemini =
            QJsonDocument::fromJson(ProviderErrors::body(ErrorFormat::Gemini, kind, message), &error)
                .object()
                .value("error")
                .toObject();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(gemini.value("code").toInt(), status);
        QCOMPARE(gemini.value("message").toString(), message);
        QCOMPARE(gemini.value("status").toString(), geminiStatus);
    }

    void formatNames()
    {
        for (const ErrorFormat format : {ErrorFormat::OpenAi, ErrorFormat::Anthropic, ErrorFormat::Gemini})
            QCOMPARE(ProviderErrors::formatFromName(ProviderErrors::formatName(format)), format);
        QVERIFY(!ProviderErrors::formatFromName(QStringLiteral("OpenAI")));
    }
};

GATEHOUSE_TEST_MAIN(TestProviderErrors)
#include "TestProviderErrors.moc"
