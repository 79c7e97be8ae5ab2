#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "RoleUsers.h"
#include "TestRegistry.h"

#include "admin/AdminServer.h"
#include "auth/Permissions.h"
#include "common/Actor.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <functional>

namespace {

// Who may call an endpoint: nobody needs to log in (public), any logged-in caller, or one holding any of anyOf.
struct Requires
{
    bool login = true;
    QStringList anyOf;
};

const Requires kPublic{false, {}};
const Requires kLoggedIn{true, {}};

Requires anyOf(const QStringList& permissions)
{
    return {true, permissions};
}

// One row of the matrix. In `path` and in body string values, "{<fixture>}" is the id of an object made in
// initTestCase (an integer in bodies), "{fresh:<kind>}" the id of an object made for this one call (so a DELETE
// has something of its own to delete) and "{caller}" a name unique to the calling role.
struct Endpoint
{
    QByteArray method;
    QString path;
    Requires access;
    QJsonObject body = {};
    bool hidesOthers = false; // a caller without the permission may get 404: others' objects do not exist for it
    int allowedStatus = 0;    // what a caller with the permission gets: 0 any 2xx, else this validation error
};

// Every admin endpoint. A route added to the router without a row here fails everyRouteIsInTheMatrix.
QList<Endpoint> endpoints()
{
    using namespace Permissions;
    const QStringList usersRead{kUsersView, kUsersManage};
    const QStringList providerKeysRead{kProviderKeysView, kProviderKeysManage};
    const QStringList pricingRead{kStatsView, kStatsOwn, kProvidersManage};
    const QJsonObject nothing;
    return {
        {"GET", "/api/system/info", kPublic},
        // Empty bodies: a failed login would count towards the lockout, a logout would end the session.
        {"POST", "/api/auth/login", kPublic, nothing, false, 400},
        {"POST", "/api/auth/refresh", kPublic, nothing, false, 400},
        {"GET", "/api/auth/me", kLoggedIn},
        {"POST", "/api/auth/logout", kLoggedIn, nothing, false, 400},
        {"POST", "/api/auth/password", kLoggedIn, nothing, false, 400},

        {"GET", "/api/users", anyOf(usersRead)},
        {"POST",
         "/api/users",
         anyOf({kUsersManage}),
         {{"username", "made-by-{caller}"}, {"password", "made-password-123"}, {"role", "read_only"}}},
        {"GET", "/api/users/{user}", anyOf(usersRead)},
        {"PATCH", "/api/users/{user}", anyOf({kUsersManage}), {{"displayName", "Matrix target"}}},
        {"DELETE", "/api/users/{fresh:user}", anyOf({kUsersManage})},
        {"POST", "/api/users/{user}/password", anyOf({kUsersManage}), {{"password", "matrix-target-password"}}},
        {"GET", "/api/roles", anyOf(usersRead)},
        {"GET", "/api/audit", anyOf({kLogsView})},

        {"GET", "/api/provider-types", kLoggedIn},
        {"POST",
         "/api/provider-types",
         anyOf({kProvidersManage}),
         {{"name", "made-by-{caller}"},
          {"displayName", "Made"},
          {"apiFormat", "openai"},
          {"baseUrl", "https://made.example"},
          {"authHeader", "Authorization"}}},
        {"GET", "/api/provider-types/{providerType}", kLoggedIn},
        {"PATCH", "/api/provider-types/{providerType}", anyOf({kProvidersManage}), nothing},
        {"DELETE", "/api/provider-types/{fresh:providerType}", anyOf({kProvidersManage})},

        {"GET", "/api/provider-keys", anyOf(providerKeysRead)},
        {"POST",
         "/api/provider-keys",
         anyOf({kProviderKeysManage}),
         {{"name", "made-by-{caller}"}, {"providerTypeId", "{openai}"}, {"secret", "sk-made-secret-{caller}"}}},
        {"GET", "/api/provider-keys/{providerKey}", anyOf(providerKeysRead)},
        {"PATCH", "/api/provider-keys/{providerKey}", anyOf({kProviderKeysManage}), nothing},
        {"DELETE", "/api/provider-keys/{fresh:providerKey}", anyOf({kProviderKeysManage})},
        {"POST", "/api/provider-keys/{providerKey}/reveal", anyOf({kProviderKeysManage})},

        // Own keys: every caller with gateway_keys:own lists and creates; the fixture keys belong to someone else.
        {"GET", "/api/gateway-keys", anyOf({kGatewayKeysOwn, kGatewayKeysView, kGatewayKeysManage})},
        // A name too long for every caller permitted: a manager's key needs a pool, an owner's may not name one, so
        // no one body creates for both (TestAdminGatewayKeys creates as each).
        {"POST",
         "/api/gateway-keys",
         anyOf({kGatewayKeysOwn, kGatewayKeysManage}),
         {{"providerTypeId", "{openai}"}, {"enabled", false}, {"name", QString(201, u'n')}},
         false,
         400},
        {"GET", "/api/gateway-keys/{gatewayKey}", anyOf({kGatewayKeysView, kGatewayKeysManage}), {}, true},
        {"PATCH", "/api/gateway-keys/{gatewayKey}", anyOf({kGatewayKeysManage}), nothing, true},
        {"DELETE", "/api/gateway-keys/{fresh:gatewayKey}", anyOf({kGatewayKeysManage}), {}, true},
        {"POST", "/api/gateway-keys/{fresh:gatewayKey}/regenerate", anyOf({kGatewayKeysManage}), {}, true},

        {"GET", "/api/pricing", anyOf(pricingRead)},
        {"POST",
         "/api/pricing",
         anyOf({kProvidersManage}),
         {{"providerTypeId", "{openai}"}, {"modelPattern", "made-by-{caller}"}}},
        {"PATCH", "/api/pricing/{pricing}", anyOf({kProvidersManage}), nothing},
        {"DELETE", "/api/pricing/{fresh:pricing}", anyOf({kProvidersManage})},

        // No trace exists here ({noSuchTrace} is no fixture, so id 0): a reader learns only that it does not exist.
        {"GET", "/api/traces", anyOf({kLogsView, kLogsOwn})},
        {"GET", "/api/traces/{noSuchTrace}", anyOf({kLogsView, kLogsOwn}), {}, true, 404},
        {"GET", "/api/stats/overview", anyOf({kStatsView, kStatsOwn})},
        {"GET", "/api/stats/trend", anyOf({kStatsView, kStatsOwn})},
        {"GET", "/api/stats/models", anyOf({kStatsView, kStatsOwn})},
        {"GET", "/api/stats/provider-keys", anyOf({kStatsView, kStatsOwn})},
        {"GET", "/api/stats/gateway-keys", anyOf({kStatsView, kStatsOwn})},

        {"GET", "/api/oauth/configs", anyOf({kProvidersManage, kProviderKeysView, kProviderKeysManage})},
        {"POST",
         "/api/oauth/configs",
         anyOf({kProvidersManage}),
         {{"providerTypeId", "{openai}"},
          {"name", "made-by-{caller}"},
          {"authorizeUrl", "https://auth.example/authorize"},
          {"tokenUrl", "https://auth.example/token"},
          {"clientId", "client"},
          {"redirectUri", "http://localhost:1455/callback"}}},
        {"GET", "/api/oauth/configs/{oauthConfig}", anyOf({kProvidersManage, kProviderKeysView, kProviderKeysManage})},
        {"PATCH", "/api/oauth/configs/{oauthConfig}", anyOf({kProvidersManage}), nothing},
        {"DELETE", "/api/oauth/configs/{fresh:oauthConfig}", anyOf({kProvidersManage})},
        {"POST",
         "/api/oauth/authorize",
         anyOf({kProviderKeysManage}),
         {{"configId", "{oauthConfig}"}, {"name", "key-{caller}"}}},
        // A state no authorization has: a caller allowed to exchange learns only that.
        {"POST",
         "/api/oauth/exchange",
         anyOf({kProviderKeysManage}),
         {{"code", "c"}, {"state", "unknown"}},
         false,
         400},
        {"GET", "/api/oauth/sessions", anyOf(providerKeysRead)},
        // The fixture session is pending: only an active one refreshes.
        {"POST", "/api/oauth/sessions/{oauthSession}/refresh", anyOf({kProviderKeysManage}), {}, false, 409},
        {"POST", "/api/oauth/sessions/{fresh:oauthSession}/revoke", anyOf({kProviderKeysManage})},

        {"GET", "/api/health", anyOf({kHealthView})},
        {"POST", "/api/health/{providerKey}/reset", anyOf({kProviderKeysManage})},
        {"POST", "/api/health/{providerKey}/probe", anyOf({kProviderKeysManage})},
    };
}

// "GET /api/users/{}": a route with its parameter names dropped, to compare table, router and docs.
QString routeKey(const QByteArray& method, const QString& path)
{
    static const QRegularExpression parameter(QStringLiteral("\\{[^}]*\\}"));
    return QString::fromLatin1(method) + QLatin1Char(' ') + QString(path).replace(parameter, QStringLiteral("{}"));
}

QStringList permissionsOf(const QString& role)
{
    for (const auto& builtin : Permissions::builtinRoles()) {
        if (builtin.name == role)
            return builtin.permissions;
    }
    return {};
}

// The verdict the permission table gives; an empty role is the anonymous caller.
bool permitted(const Requires& access, const QString& role)
{
    if (!access.login)
        return true;
    if (role.isEmpty())
        return false;
    Actor actor;
    actor.permissions = permissionsOf(role);
    return access.anyOf.isEmpty() || std::any_of(access.anyOf.begin(), access.anyOf.end(),
                                                 [&](const QString& permission) { return actor.has(permission); });
}

} // namespace

// Every admin endpoint called as every built-in role and anonymously: allowed or denied as the permission table in
// Permissions::builtinRoles() says. Also: docs/openapi.yaml lists exactly the routes the router serves.
class TestAdminAuthorizationMatrix : public QObject
{
    Q_OBJECT

private:
    GatewayHarness m_gateway;
    HttpTestClient m_client;
    RoleUsers m_roles;
    RoleUsers::Header m_superAdmin;
    QHash<QString, qint64> m_fixtures;                // placeholder name -> id
    QHash<QString, std::function<qint64()>> m_makers; // fresh object kind -> creates one, returns its id
    int m_made = 0;

    HttpTestClient::Response call(const QByteArray& method, const QString& path, const QJsonObject& body,
                                  const QList<RoleUsers::Header>& headers)
    {
        QList<RoleUsers::Header> all = headers;
        if (method != "GET" && method != "DELETE")
            all.append(RoleUsers::Header("Content-Type", "application/json"));
        const QByteArray payload =
            method == "GET" || method == "DELETE" ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
        return m_client.send(method, m_gateway.adminUrl(path), payload, all);
    }

    qint64 create(const QString& path, const QJsonObject& body)
    {
        const auto created = call("POST", path, body, {m_superAdmin});
        if (created.status != 201)
            qWarning("POST %s failed: %d %s", qPrintable(path), created.status, created.body.constData());
        return created.json()[QLatin1String("id")].toInteger();
    }

    qint64 providerTypeId(const QString& name)
    {
        const auto types = call("GET", QStringLiteral("/api/provider-types?q=") + name, {}, {m_superAdmin});
        for (const QJsonValue& type : types.json()[QLatin1String("items")].toArray()) {
            if (type[QLatin1String("name")].toString() == name)
                return type[QLatin1String("id")].toInteger();
        }
        return 0;
    }

    QString substitute(QString text, const QString& caller)
    {
        static const QRegularExpression placeholder(QStringLiteral("\\{(fresh:)?([A-Za-z]+)\\}"));
        text.replace(QLatin1String("{caller}"), caller);
        for (auto match = placeholder.match(text); match.hasMatch(); match = placeholder.match(text)) {
            const QString name = match.captured(2);
            const qint64 id =
                match.hasCaptured(1) ? m_makers.value(name, [] { return qint64(0); })() : m_fixtures.value(name);
            if (id <= 0)
                qWarning("no object for %s", qPrintable(match.captured(0)));
            text.replace(match.capturedStart(), match.capturedLength(), QString::number(id));
        }
        return text;
    }

    QJsonObject substitute(const QJsonObject& body, const QString& caller)
    {
        QJsonObject resolved;
        for (auto it = body.begin(); it != body.end(); ++it) {
            const QString text = it.value().toString();
            if (!it.value().isString())
                resolved.insert(it.key(), it.value());
            else if (text.startsWith(QLatin1Char('{')) && text.endsWith(QLatin1Char('}')))
                resolved.insert(it.key(), substitute(text, caller).toLongLong());
            else
                resolved.insert(it.key(), substitute(text, caller));
        }
        return resolved;
    }

    static QStringList documentedRoutes()
    {
        QFile file(qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/docs/openapi.yaml"));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        static const QRegularExpression pathLine(QStringLiteral("^  (/api/\\S*):\\s*$"));
        static const QRegularExpression methodLine(QStringLiteral("^    (get|post|put|patch|delete):\\s*$"));
        QStringList routes;
        QString path;
        for (const QByteArray& line : file.readAll().split('\n')) {
            const QString text = QString::fromUtf8(line);
            if (const auto match = pathLine.match(text); match.hasMatch())
                path = match.captured(1);
            else if (!text.startsWith(QLatin1String("    ")) && !text.trimmed().isEmpty())
                path.clear();
            else if (const auto method = methodLine.match(text); method.hasMatch() && !path.isEmpty())
                routes << routeKey(method.captured(1).toUpper().toLatin1(), path);
        }
        return routes;
    }

    QStringList servedRoutes()
    {
        AdminServer server(m_gateway.service().adminServices()); // not listening: only its router is read
        QStringList routes;
        for (const QString& route : server.router().routes()) {
            const qsizetype space = route.indexOf(QLatin1Char(' '));
            routes << routeKey(route.left(space).toLatin1(), route.mid(space + 1));
        }
        return routes;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_gateway.start());
        m_superAdmin = m_gateway.login(); // every role logs in once: the per-address lockout counts failures only
        QVERIFY(m_roles.create(m_gateway, m_superAdmin));

        const qint64 openai = providerTypeId(QStringLiteral("openai"));
        QVERIFY(openai > 0);
        m_fixtures.insert(QStringLiteral("openai"), openai);
        m_makers.insert(QStringLiteral("user"), [this] {
            return create(QStringLiteral("/api/users"), {{"username", QStringLiteral("fresh-%1").arg(++m_made)},
                                                         {"password", "fresh-user-password"},
                                                         {"role", "read_only"}});
        });
        m_makers.insert(QStringLiteral("providerType"), [this] {
            return create(QStringLiteral("/api/provider-types"), {{"name", QStringLiteral("fresh-%1").arg(++m_made)},
                                                                  {"displayName", "Fresh"},
                                                                  {"apiFormat", "openai"},
                                                                  {"baseUrl", "https://fresh.example"},
                                                                  {"authHeader", "Authorization"}});
        });
        m_makers.insert(QStringLiteral("providerKey"), [this, openai] {
            return create(QStringLiteral("/api/provider-keys"),
                          {{"name", QStringLiteral("fresh-%1").arg(++m_made)},
                           {"providerTypeId", openai},
                           {"secret", QStringLiteral("sk-fresh-secret-%1").arg(m_made)}});
        });
        m_makers.insert(QStringLiteral("oauthConfig"), [this, openai] {
            return create(QStringLiteral("/api/oauth/configs"), {{"providerTypeId", openai},
                                                                 {"name", QStringLiteral("fresh-%1").arg(++m_made)},
                                                                 {"authorizeUrl", "https://auth.example/authorize"},
                                                                 {"tokenUrl", "https://auth.example/token"},
                                                                 {"clientId", "client"},
                                                                 {"redirectUri", "http://localhost:1455/callback"}});
        });
        m_makers.insert(QStringLiteral("oauthSession"), [this] { // a pending authorization
            const auto started = call("POST", QStringLiteral("/api/oauth/authorize"),
                                      {{"configId", m_makers.value(QStringLiteral("oauthConfig"))()},
                                       {"name", QStringLiteral("fresh-%1").arg(++m_made)}},
                                      {m_superAdmin});
            return started.json()[QLatin1String("sessionId")].toInteger();
        });
        m_makers.insert(QStringLiteral("pricing"), [this, openai] {
            return create(QStringLiteral("/api/pricing"),
                          {{"providerTypeId", openai}, {"modelPattern", QStringLiteral("fresh-%1").arg(++m_made)}});
        });

        // The fixture gateway keys belong to a user of role `user` that no caller is.
        const qint64 owner = create(QStringLiteral("/api/users"),
                                    {{"username", "key-owner"}, {"password", "key-owner-password"}, {"role", "user"}});
        QVERIFY(owner > 0);
        m_fixtures.insert(QStringLiteral("owner"), owner);
        m_makers.insert(QStringLiteral("gatewayKey"), [this, owner, openai] {
            return create(QStringLiteral("/api/gateway-keys"),
                          {{"userId", owner},
                           {"providerTypeId", openai},
                           {"enabled", false},
                           {"pool", QJsonArray{m_makers.value(QStringLiteral("providerKey"))()}}});
        });

        for (const QString& kind : m_makers.keys()) {
            const qint64 id = m_makers.value(kind)();
            QVERIFY2(id > 0, qPrintable(kind));
            m_fixtures.insert(kind, id);
        }
        m_fixtures.insert(
            QStringLiteral("gatewayKey"),
            create(QStringLiteral("/api/gateway-keys"), {{"userId", owner},
                                                         {"providerTypeId", openai},
                                                         {"name", "owner's key"},
                                                         {"pool", QJsonArray{m_fixtures.value("providerKey")}}}));
        QVERIFY(m_fixtures.value(QStringLiteral("gatewayKey")) > 0);
        m_fixtures.insert(QStringLiteral("user"),
                          create(QStringLiteral("/api/users"), {{"username", "matrix-target"},
                                                                {"displayName", "Matrix target"},
                                                                {"password", "matrix-target-password"},
                                                                {"role", "read_only"}}));
        QVERIFY(m_fixtures.value(QStringLiteral("user")) > 0);
    }

    void matrix_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<QString>("role");
        const QList<Endpoint> table = endpoints();
        for (qsizetype row = 0; row < table.size(); ++row) {
            for (const QString& role : RoleUsers::roles() + QStringList{QString()}) {
                QTest::addRow("%s %s as %s", table.at(row).method.constData(), qPrintable(table.at(row).path),
                              role.isEmpty() ? "anonymous" : qPrintable(role))
                    << int(row) << role;
            }
        }
    }

    void matrix()
    {
        QFETCH(int, row);
        QFETCH(QString, role);
        const Endpoint endpoint = endpoints().at(row);
        const QString caller = role.isEmpty() ? QStringLiteral("anonymous") : role;
        const QString path = substitute(endpoint.path, caller);
        QList<RoleUsers::Header> headers;
        if (!role.isEmpty())
            headers << m_roles.header(role);

        const auto response = call(endpoint.method, path, substitute(endpoint.body, caller), headers);
        const QString what = QStringLiteral("%1 %2 as %3 -> %4 %5")
                                 .arg(QString::fromLatin1(endpoint.method), path, caller)
                                 .arg(response.status)
                                 .arg(QString::fromUtf8(response.body.left(300)));
        if (permitted(endpoint.access, role)) {
            const bool success = endpoint.allowedStatus == 0 ? response.status >= 200 && response.status < 300
                                                             : response.status == endpoint.allowedStatus;
            QVERIFY2(success, qPrintable(QStringLiteral("expected allowed: ") + what));
        } else if (role.isEmpty()) {
            QVERIFY2(response.status == 401, qPrintable(QStringLiteral("expected 401: ") + what));
        } else {
            const bool denied = response.status == 403 || (endpoint.hidesOthers && response.status == 404);
            QVERIFY2(denied, qPrintable(QStringLiteral("expected denied: ") + what));
        }
    }

    // A user (gateway_keys:own) cannot see, change, regenerate or delete another user's key: it does not exist.
    void userCannotReachAnotherUsersGatewayKey()
    {
        const qint64 id = m_fixtures.value(QStringLiteral("gatewayKey"));
        const QString path = QStringLiteral("/api/gateway-keys/%1").arg(id);
        const auto before = call("GET", path, {}, {m_superAdmin});
        QCOMPARE(before.status, 200);
        const RoleUsers::Header user = m_roles.header(QStringLiteral("user"));

        QCOMPARE(call("GET", path, {}, {user}).status, 404);
        QCOMPARE(call("PATCH", path, {{"name", "taken over"}}, {user}).status, 404);
        QCOMPARE(call("PATCH", path, {{"enabled", false}}, {user}).status, 404);
        QCOMPARE(call("POST", path + QStringLiteral("/regenerate"), {}, {user}).status, 404);
        QCOMPARE(call("DELETE", path, {}, {user}).status, 404);
        // A 404 for a real key reads exactly like one for an id that never existed.
        auto missing = call("GET", QStringLiteral("/api/gateway-keys/999999"), {}, {user});
        QCOMPARE(call("GET", path, {}, {user}).body, missing.body.replace("999999", QByteArray::number(id)));

        const auto own = call("GET", QStringLiteral("/api/gateway-keys?pageSize=500"), {}, {user});
        QCOMPARE(own.status, 200);
        for (const QJsonValue& item : own.json()[QLatin1String("items")].toArray())
            QCOMPARE(item[QLatin1String("userId")].toInteger(), m_roles.userId(QStringLiteral("user")));
        const auto filtered =
            call("GET", QStringLiteral("/api/gateway-keys?userId=%1").arg(m_fixtures.value(QStringLiteral("owner"))),
                 {}, {user});
        QCOMPARE(filtered.status, 200);
        QCOMPARE(filtered.json()[QLatin1String("total")].toInteger(), 0);

        const auto after = call("GET", path, {}, {m_superAdmin});
        QCOMPARE(after.status, 200);
        QCOMPARE(after.json().object(), before.json().object()); // same name, prefix, enabled, pool, updatedAt
    }

    // users:manage is not every right: a user_admin (who may not manage provider keys) must not hand itself or
    // anyone the admin role, nor take over an admin account by resetting its password. Runs last: it may promote.
    void userAdminCannotGrantRightsItLacks()
    {
        const RoleUsers::Header userAdmin = m_roles.header(QStringLiteral("user_admin"));

        const auto created =
            call("POST", QStringLiteral("/api/users"),
                 {{"username", "escalated"}, {"password", "escalated-password"}, {"role", "admin"}}, {userAdmin});
        QCOMPARE(created.status, 403);

        const auto reset = call("POST", QStringLiteral("/api/users/%1/password").arg(m_roles.userId("admin")),
                                {{"password", "taken-over-password"}}, {userAdmin});
        QCOMPARE(reset.status, 403);

        const auto promoted = call("PATCH", QStringLiteral("/api/users/%1").arg(m_roles.userId("user_admin")),
                                   {{"role", "admin"}}, {userAdmin});
        QCOMPARE(promoted.status, 403);
        qInfo("user_admin: create an admin -> %d, reset an admin's password -> %d, make itself admin -> %d",
              created.status, reset.status, promoted.status);
    }

    void everyRouteIsInTheMatrix()
    {
        QStringList table;
        for (const Endpoint& endpoint : endpoints())
            table << routeKey(endpoint.method, endpoint.path);
        const QStringList served = servedRoutes();
        QVERIFY(!served.isEmpty());
        for (const QString& route : served)
            QVERIFY2(table.contains(route), qPrintable(route + QStringLiteral(" has no row in endpoints()")));
        for (const QString& route : table)
            QVERIFY2(served.contains(route), qPrintable(route + QStringLiteral(" is in endpoints() but not served")));
    }

    void openApiListsEveryRoute()
    {
        const QStringList documented = documentedRoutes();
        QVERIFY2(!documented.isEmpty(), "docs/openapi.yaml is missing or lists no /api paths");
        const QStringList served = servedRoutes();
        for (const QString& route : served)
            QVERIFY2(documented.contains(route), qPrintable(route + QStringLiteral(" is not in docs/openapi.yaml")));
        for (const QString& route : documented)
            QVERIFY2(served.contains(route), qPrintable(route + QStringLiteral(" is in docs/openapi.yaml only")));
    }
};

GATEHOUSE_TEST_MAIN(TestAdminAuthorizationMatrix)
#include "TestAdminAuthorizationMatrix.moc"
