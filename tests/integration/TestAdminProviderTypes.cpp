#include "AdminApiClient.h"
#include "GatewayHarness.h"
#include "TestRegistry.h"

#include "providers/ApiFormat.h"
#include "storage/Database.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>

// /api/provider-types: readable by anyone logged in, changed with providers:manage; built-in types editable but not
// deletable; base URL, auth template and field paths validated.
class TestAdminProviderTypes : public QObject
{
    Q_OBJECT

private:
    GatewayHarness m_gateway;
    std::unique_ptr<AdminApiClient> m_admin;
    std::unique_ptr<AdminApiClient> m_user;

    static QString errorMessage(const HttpTestClient::Response& response)
    {
        return response.json()[QLatin1String("error")][QLatin1String("message")].toString();
    }

    QJsonObject typeNamed(const QString& name)
    {
        for (const QJsonValue& type :
             m_admin->get(QStringLiteral("/api/provider-types")).json()[QLatin1String("items")].toArray()) {
            if (type[QLatin1String("name")].toString() == name)
                return type.toObject();
        }
        return {};
    }

    static QJsonObject azure()
    {
        return {{QStringLiteral("name"), QStringLiteral("azure-openai")},
                {QStringLiteral("displayName"), QStringLiteral("Azure OpenAI")},
                {QStringLiteral("apiFormat"), QStringLiteral("openai")},
                {QStringLiteral("baseUrl"), QStringLiteral("https://example.openai.azure.com/openai")},
                {QStringLiteral("authHeader"), QStringLiteral("api-key")},
                {QStringLiteral("defaultHeaders"), QJsonObject{{QStringLiteral("x-team"), QStringLiteral("blue")}}},
                {QStringLiteral("usagePaths"),
                 QJsonObject{{QStringLiteral("prompt_tokens"), QJsonArray{QStringLiteral("usage.prompt_tokens")}}}},
                {QStringLiteral("modelPaths"),
                 QJsonObject{{QStringLiteral("response"), QJsonArray{QStringLiteral("model")}}}},
                {QStringLiteral("streamEventRoots"),
                 QJsonObject{{QStringLiteral("response.completed"), QStringLiteral("response")}}},
                {QStringLiteral("probePath"), QStringLiteral("/models")}};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_gateway.start());
        m_admin = std::make_unique<AdminApiClient>(m_gateway);
        QVERIFY(AdminApiClient::createUser(m_gateway, QStringLiteral("user"), QStringLiteral("user-password-1"),
                                           QStringLiteral("api_only")) > 0);
        m_user = std::make_unique<AdminApiClient>(m_gateway, QStringLiteral("user"), QStringLiteral("user-password-1"));
    }

    void anyoneLoggedInReadsTheBuiltinTypes()
    {
        const auto list = m_user->get(QStringLiteral("/api/provider-types"));
        QCOMPARE(list.status, 200);
        QCOMPARE(list.json()[QLatin1String("total")].toInt(), 3);
        QStringList names;
        for (const QJsonValue& type : list.json()[QLatin1String("items")].toArray())
            names << type[QLatin1String("name")].toString();
        QCOMPARE(names, (QStringList{QStringLiteral("anthropic"), QStringLiteral("gemini"), QStringLiteral("openai")}));
        const QJsonObject gemini = list.json()[QLatin1String("items")][1].toObject();
        QCOMPARE(gemini[QLatin1String("keyQueryParam")].toString(), QStringLiteral("key"));
        QCOMPARE(gemini[QLatin1String("modelPaths")][QLatin1String("url")].toString(),
                 QStringLiteral("models/{model}:"));
        QCOMPARE(gemini[QLatin1String("builtin")].toBool(), true);
        const qint64 id = gemini[QLatin1String("id")].toInteger();
        QCOMPARE(m_user->get(QStringLiteral("/api/provider-types/%1").arg(id)).status, 200);
        HttpTestClient anonymous;
        QCOMPARE(anonymous.get(m_gateway.adminUrl(QStringLiteral("/api/provider-types"))).status, 401);
    }

    void createEditDelete()
    {
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        const auto created = m_admin->post(QStringLiteral("/api/provider-types"), azure());
        QCOMPARE(created.status, 201);
        QCOMPARE(routing.count(), 1);
        const QJsonObject type = created.json().object();
        const qint64 id = type[QLatin1String("id")].toInteger();
        QCOMPARE(type[QLatin1String("authTemplate")].toString(), QStringLiteral("{key}"));
        QCOMPARE(type[QLatin1String("probeMethod")].toString(), QStringLiteral("GET"));
        QCOMPARE(type[QLatin1String("defaultHeaders")][QLatin1String("x-team")].toString(), QStringLiteral("blue"));
        QCOMPARE(type[QLatin1String("active")].toBool(), true);
        QCOMPARE(type[QLatin1String("builtin")].toBool(), false);
        QVERIFY(type[QLatin1String("keyQueryParam")].isNull());

        const auto patched =
            m_admin->patch(QStringLiteral("/api/provider-types/%1").arg(id),
                           {{QStringLiteral("baseUrl"), QStringLiteral("http://127.0.0.1:8443/openai")},
                            {QStringLiteral("authTemplate"), QStringLiteral("Token {key}")},
                            {QStringLiteral("probePath"), QJsonValue()},
                            {QStringLiteral("active"), false}});
        QCOMPARE(patched.status, 200);
        QCOMPARE(routing.count(), 2);
        QCOMPARE(patched.json()[QLatin1String("baseUrl")].toString(), QStringLiteral("http://127.0.0.1:8443/openai"));
        QCOMPARE(patched.json()[QLatin1String("authTemplate")].toString(), QStringLiteral("Token {key}"));
        QVERIFY(patched.json()[QLatin1String("probePath")].isNull());
        QCOMPARE(
            m_admin->get(QStringLiteral("/api/provider-types?active=false")).json()[QLatin1String("total")].toInt(), 1);

        QCOMPARE(m_admin->remove(QStringLiteral("/api/provider-types/%1").arg(id)).status, 204);
        QCOMPARE(routing.count(), 3);
        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-types/%1").arg(id)).status, 404);
        // Names are never reused: permissions (proxy:<name>) refer to them.
        const auto again = m_admin->post(QStringLiteral("/api/provider-types"), azure());
        QCOMPARE(again.status, 409);
        QVERIFY(errorMessage(again).contains(QStringLiteral("never")));
    }

    // Issue 15: what a new type leaves out comes from its apiFormat; what it gives stays.
    void aNewTypeTakesItsFormatsDefaults_data()
    {
        QTest::addColumn<QString>("format");
        for (const QString& format : ApiFormat::names())
            QTest::newRow(qPrintable(format)) << format;
    }

    void aNewTypeTakesItsFormatsDefaults()
    {
        QFETCH(QString, format);
        const auto created = m_admin->post(QStringLiteral("/api/provider-types"),
                                           {{QStringLiteral("name"), QStringLiteral("compatible-") + format},
                                            {QStringLiteral("displayName"), QStringLiteral("A compatible server")},
                                            {QStringLiteral("apiFormat"), format},
                                            {QStringLiteral("baseUrl"), QStringLiteral("http://127.0.0.1:8000")}});
        QCOMPARE(created.status, 201);
        const QJsonObject type = created.json().object();
        // The same as the built-in type of that format, apart from what names and places it.
        const QJsonObject builtin = typeNamed(format);
        for (const char* field : {"authHeader", "authTemplate", "keyQueryParam", "defaultHeaders", "usagePaths",
                                  "modelPaths", "streamEventRoots", "probeMethod", "probePath", "allowedRoutes"})
            QVERIFY2(type.value(QLatin1String(field)) == builtin.value(QLatin1String(field)), field);
        QVERIFY(!type.value(QLatin1String("usagePaths")).toObject().isEmpty());

        // Given fields stay; a header given without a template is sent as the bare key.
        const auto custom =
            m_admin->post(QStringLiteral("/api/provider-types"),
                          {{QStringLiteral("name"), QStringLiteral("custom-") + format},
                           {QStringLiteral("displayName"), QStringLiteral("A custom server")},
                           {QStringLiteral("apiFormat"), format},
                           {QStringLiteral("baseUrl"), QStringLiteral("http://127.0.0.1:8000")},
                           {QStringLiteral("authHeader"), QStringLiteral("api-key")},
                           {QStringLiteral("allowedRoutes"), QJsonValue()},
                           {QStringLiteral("usagePaths"),
                            QJsonObject{{QStringLiteral("prompt_tokens"), QJsonArray{QStringLiteral("meta.in")}}}}});
        QCOMPARE(custom.status, 201);
        QCOMPARE(custom.json()[QLatin1String("authHeader")].toString(), QStringLiteral("api-key"));
        QCOMPARE(custom.json()[QLatin1String("authTemplate")].toString(), QStringLiteral("{key}"));
        QVERIFY(custom.json()[QLatin1String("allowedRoutes")].isNull());
        QCOMPARE(custom.json()[QLatin1String("usagePaths")].toObject(),
                 (QJsonObject{{QStringLiteral("prompt_tokens"), QJsonArray{QStringLiteral("meta.in")}}}));
    }

    void builtinTypesAreEditableButNotDeletable()
    {
        const qint64 id = typeNamed(QStringLiteral("openai"))[QLatin1String("id")].toInteger();
        const auto patched = m_admin->patch(QStringLiteral("/api/provider-types/%1").arg(id),
                                            {{QStringLiteral("baseUrl"), QStringLiteral("https://proxy.example.com")}});
        QCOMPARE(patched.status, 200);
        QCOMPARE(patched.json()[QLatin1String("baseUrl")].toString(), QStringLiteral("https://proxy.example.com"));
        // Its allowlist is the admin's to widen (a key not shared) and to lift (null: every request).
        const QJsonArray seeded = typeNamed(QStringLiteral("openai"))[QLatin1String("allowedRoutes")].toArray();
        QVERIFY(seeded.contains(QStringLiteral("POST /v1/chat/completions")));
        QJsonArray widened = seeded;
        widened.append(QStringLiteral("GET /v1/files"));
        const auto edited = m_admin->patch(QStringLiteral("/api/provider-types/%1").arg(id),
                                           {{QStringLiteral("allowedRoutes"), widened}});
        QCOMPARE(edited.status, 200);
        QCOMPARE(edited.json()[QLatin1String("allowedRoutes")].toArray(), widened);
        const auto lifted = m_admin->patch(QStringLiteral("/api/provider-types/%1").arg(id),
                                           {{QStringLiteral("allowedRoutes"), QJsonValue()}});
        QVERIFY(lifted.json()[QLatin1String("allowedRoutes")].isNull());
        QCOMPARE(
            m_admin
                ->patch(QStringLiteral("/api/provider-types/%1").arg(id), {{QStringLiteral("allowedRoutes"), seeded}})
                .status,
            200);
        const auto deleted = m_admin->remove(QStringLiteral("/api/provider-types/%1").arg(id));
        QCOMPARE(deleted.status, 409);
        QVERIFY(errorMessage(deleted).contains(QStringLiteral("built-in")));
        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-types/%1").arg(id)).status, 200);
    }

    void typesInUseCannotBeDeleted()
    {
        QJsonObject fields = azure();
        fields.insert(QStringLiteral("name"), QStringLiteral("in-use"));
        const qint64 id =
            m_admin->post(QStringLiteral("/api/provider-types"), fields).json()[QLatin1String("id")].toInteger();
        QCOMPARE(m_admin
                     ->post(QStringLiteral("/api/provider-keys"),
                            {{QStringLiteral("name"), QStringLiteral("k")},
                             {QStringLiteral("providerTypeId"), id},
                             {QStringLiteral("secret"), QStringLiteral("sk-some-secret-1")}})
                     .status,
                 201);
        const auto deleted = m_admin->remove(QStringLiteral("/api/provider-types/%1").arg(id));
        QCOMPARE(deleted.status, 409);
        QVERIFY(errorMessage(deleted).contains(QStringLiteral("provider keys")));
    }

    void onlyProviderManagersChangeTypes()
    {
        const qint64 id = typeNamed(QStringLiteral("gemini"))[QLatin1String("id")].toInteger();
        QCOMPARE(m_user->post(QStringLiteral("/api/provider-types"), azure()).status, 403);
        const auto patch =
            m_user->patch(QStringLiteral("/api/provider-types/%1").arg(id), {{QStringLiteral("active"), false}});
        QCOMPARE(patch.status, 403);
        QVERIFY(errorMessage(patch).contains(QStringLiteral("providers:manage")));
        QCOMPARE(m_user->remove(QStringLiteral("/api/provider-types/%1").arg(id)).status, 403);
        auto denied = m_gateway.service().database().exec(QStringLiteral(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'permission.denied' AND actor_name = 'user'"));
        QVERIFY(denied && denied->next());
        QCOMPARE(denied->value(0).toInt(), 3);
    }

    void badInputIsRefusedAndChangesNothing_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("ftp url") << "baseUrl" << QJsonValue(QStringLiteral("ftp://example.com"))
                                 << "'baseUrl' must be an http";
        QTest::newRow("no host") << "baseUrl" << QJsonValue(QStringLiteral("https://")) << "'baseUrl'";
        QTest::newRow("credentials") << "baseUrl" << QJsonValue(QStringLiteral("https://u:p@example.com"))
                                     << "credentials";
        // Issue 15: the base URL OpenAI-compatible servers document ends in /v1, which the clients' paths repeat.
        QTest::newRow("base url ending in /v1")
            << "baseUrl" << QJsonValue(QStringLiteral("http://localhost:11434/v1/"))
            << "'baseUrl' must not end in /v1: the paths clients send start with it and are appended to the base URL "
               "(/v1/v1/chat/completions); use http://localhost:11434";
        QTest::newRow("base url ending in /v1beta")
            << "baseUrl" << QJsonValue(QStringLiteral("https://proxy.example/gemini/v1beta"))
            << "use https://proxy.example/gemini";
        QTest::newRow("no {key}") << "authTemplate" << QJsonValue(QStringLiteral("Bearer key")) << "{key}";
        QTest::newRow("header injection")
            << "authTemplate" << QJsonValue(QStringLiteral("{key}\r\nX-Evil: 1")) << "{key}";
        QTest::newRow("header name") << "authHeader" << QJsonValue(QStringLiteral("Auth Header")) << "'authHeader'";
        QTest::newRow("header value type")
            << "defaultHeaders" << QJsonValue(QJsonObject{{QStringLiteral("x-a"), 1}}) << "'defaultHeaders'";
        QTest::newRow("headers not object")
            << "defaultHeaders" << QJsonValue(QStringLiteral("x-a: 1")) << "'defaultHeaders' must be a JSON object";
        QTest::newRow("usage key") << "usagePaths"
                                   << QJsonValue(
                                          QJsonObject{{QStringLiteral("tokens"), QJsonArray{QStringLiteral("a")}}})
                                   << "'usagePaths' keys";
        QTest::newRow("usage path") << "usagePaths"
                                    << QJsonValue(
                                           QJsonObject{{QStringLiteral("prompt_tokens"), QStringLiteral("usage.x")}})
                                    << "'usagePaths.prompt_tokens'";
        QTest::newRow("model url") << "modelPaths"
                                   << QJsonValue(QJsonObject{{QStringLiteral("url"), QStringLiteral("models/")}})
                                   << "'modelPaths.url'";
        QTest::newRow("stream root") << "streamEventRoots" << QJsonValue(QJsonObject{{QStringLiteral("e"), 5}})
                                     << "'streamEventRoots'";
        QTest::newRow("name case") << "name" << QJsonValue(QStringLiteral("Azure")) << "'name' must be lower case";
        QTest::newRow("api format") << "apiFormat" << QJsonValue(QStringLiteral("cohere"))
                                    << "'apiFormat' must be one of";
        QTest::newRow("probe method") << "probeMethod" << QJsonValue(QStringLiteral("DELETE")) << "'probeMethod'";
        QTest::newRow("probe path") << "probePath" << QJsonValue(QStringLiteral("models")) << "'probePath'";
        QTest::newRow("allowed routes not a list")
            << "allowedRoutes" << QJsonValue(QStringLiteral("POST /v1/chat/completions")) << "'allowedRoutes'";
        QTest::newRow("allowed route without method")
            << "allowedRoutes" << QJsonValue(QJsonArray{QStringLiteral("/v1/chat/completions")})
            << "'allowedRoutes' entry '/v1/chat/completions'";
        QTest::newRow("unknown field") << "builtin" << QJsonValue(true) << "'builtin' is not a known field";
        QTest::newRow("duplicate name") << "name" << QJsonValue(QStringLiteral("openai")) << "exists";
    }

    void badInputIsRefusedAndChangesNothing()
    {
        QFETCH(QString, field);
        QFETCH(QJsonValue, value);
        QFETCH(QString, message);
        const QByteArray before = m_admin->get(QStringLiteral("/api/provider-types?pageSize=500")).body;
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        QJsonObject fields = azure();
        fields.insert(QStringLiteral("name"), QStringLiteral("bad-input"));
        fields.insert(field, value);
        const auto response = m_admin->post(QStringLiteral("/api/provider-types"), fields);
        QVERIFY(response.status == 400 || response.status == 409);
        QVERIFY2(errorMessage(response).contains(message), qPrintable(errorMessage(response)));
        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-types?pageSize=500")).body, before);
        QCOMPARE(routing.count(), 0);
    }

    void nameCannotBeChanged()
    {
        const qint64 id = typeNamed(QStringLiteral("gemini"))[QLatin1String("id")].toInteger();
        const auto renamed = m_admin->patch(QStringLiteral("/api/provider-types/%1").arg(id),
                                            {{QStringLiteral("name"), QStringLiteral("google")}});
        QCOMPARE(renamed.status, 400);
        QVERIFY(errorMessage(renamed).contains(QStringLiteral("cannot be changed")));
        QCOMPARE(
            m_admin->patch(QStringLiteral("/api/provider-types/424242"), {{QStringLiteral("active"), true}}).status,
            404);
        QCOMPARE(m_admin->remove(QStringLiteral("/api/provider-types/424242")).status, 404);
    }
};

GATEHOUSE_TEST_MAIN(TestAdminProviderTypes)
#include "TestAdminProviderTypes.moc"
