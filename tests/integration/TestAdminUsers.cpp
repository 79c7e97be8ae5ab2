#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "RoleUsers.h"
#include "TestRegistry.h"

#include "auth/Permissions.h"
#include "storage/Database.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

// /api/users, /api/roles and /api/audit over HTTP: the rules, bad input, and who may call what.
class TestAdminUsers : public QObject
{
    Q_OBJECT

private:
    using Header = QPair<QByteArray, QByteArray>;

    GatewayHarness m_gateway;
    HttpTestClient m_client;
    RoleUsers m_roles;
    Header m_admin;

    HttpTestClient::Response call(const QByteArray& method, const QString& path, const QByteArray& body = {},
                                  const Header& auth = {})
    {
        QList<Header> headers;
        if (!auth.first.isEmpty())
            headers << auth;
        if (!body.isEmpty())
            headers << Header{"Content-Type", "application/json"};
        return m_client.send(method, m_gateway.adminUrl(path), body, headers);
    }

    static QByteArray json(const QJsonObject& object) { return QJsonDocument(object).toJson(QJsonDocument::Compact); }

    // Everything a bad request must leave unchanged.
    QByteArray snapshot() { return call("GET", QStringLiteral("/api/users?pageSize=500&sort=id"), {}, m_admin).body; }

    qint64 createUser(const QString& username, const QString& role, const Header& as)
    {
        const auto created = call("POST", QStringLiteral("/api/users"),
                                  json({{QStringLiteral("username"), username},
                                        {QStringLiteral("password"), QStringLiteral("a-good-password-1")},
                                        {QStringLiteral("role"), role}}),
                                  as);
        return created.status == 201 ? created.json()[QLatin1String("id")].toInteger() : 0;
    }

    static QString errorCode(const HttpTestClient::Response& response)
    {
        return response.json()[QLatin1String("error")][QLatin1String("code")].toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_gateway.start());
        m_admin = m_gateway.login();
        QVERIFY(m_roles.create(m_gateway, m_admin));
    }

    void createReadListUpdateDelete()
    {
        const auto created = call("POST", QStringLiteral("/api/users"),
                                  json({{QStringLiteral("username"), QStringLiteral("alice")},
                                        {QStringLiteral("displayName"), QStringLiteral("Alice A.")},
                                        {QStringLiteral("password"), QStringLiteral("alice-password-1")},
                                        {QStringLiteral("role"), QStringLiteral("user")}}),
                                  m_admin);
        QCOMPARE(created.status, 201);
        const QJsonObject alice = created.json().object();
        const qint64 id = alice[QLatin1String("id")].toInteger();
        QCOMPARE(alice[QLatin1String("username")].toString(), QStringLiteral("alice"));
        QCOMPARE(alice[QLatin1String("displayName")].toString(), QStringLiteral("Alice A."));
        QCOMPARE(alice[QLatin1String("role")].toString(), QStringLiteral("user"));
        QCOMPARE(alice[QLatin1String("enabled")].toBool(), true);
        QVERIFY(alice[QLatin1String("createdAt")].toString().endsWith(QLatin1Char('Z')));
        QVERIFY(!alice.contains(QLatin1String("password")) && !created.body.contains("scrypt"));

        QCOMPARE(call("GET", QStringLiteral("/api/users/%1").arg(id), {}, m_admin).json().object(), alice);
        const auto listed = call("GET", QStringLiteral("/api/users?q=ALICE&role=user&enabled=true"), {}, m_admin);
        QCOMPARE(listed.status, 200);
        QCOMPARE(listed.json()[QLatin1String("total")].toInt(), 1);
        QCOMPARE(listed.json()[QLatin1String("items")][0][QLatin1String("id")].toInteger(), id);

        const auto changed = call("PATCH", QStringLiteral("/api/users/%1").arg(id),
                                  json({{QStringLiteral("role"), QStringLiteral("read_only")},
                                        {QStringLiteral("displayName"), QStringLiteral("Alice")}}),
                                  m_admin);
        QCOMPARE(changed.status, 200);
        QCOMPARE(changed.json()[QLatin1String("role")].toString(), QStringLiteral("read_only"));
        QCOMPARE(changed.json()[QLatin1String("displayName")].toString(), QStringLiteral("Alice"));
        QVERIFY(m_gateway.login(QStringLiteral("alice"), QStringLiteral("alice-password-1")).second != "Bearer ");

        QCOMPARE(call("DELETE", QStringLiteral("/api/users/%1").arg(id), {}, m_admin).status, 204);
        QCOMPARE(call("GET", QStringLiteral("/api/users/%1").arg(id), {}, m_admin).status, 404);
        QCOMPARE(call("DELETE", QStringLiteral("/api/users/%1").arg(id), {}, m_admin).status, 404);
        QCOMPARE(call("GET", QStringLiteral("/api/users?q=alice"), {}, m_admin).json()[QLatin1String("total")].toInt(),
                 0);
        // The name is free again; the new alice is another user.
        const qint64 again = createUser(QStringLiteral("alice"), QStringLiteral("user"), m_admin);
        QVERIFY(again > 0 && again != id);

        const auto audit = call("GET", QStringLiteral("/api/audit?objectType=user&objectId=%1").arg(id), {}, m_admin);
        QStringList actions;
        for (const QJsonValue& entry : audit.json()[QLatin1String("items")].toArray())
            actions << entry[QLatin1String("action")].toString();
        QCOMPARE(actions, (QStringList{QStringLiteral("user.delete"), QStringLiteral("auth.login"),
                                       QStringLiteral("user.update"), QStringLiteral("user.create")}));
        const QJsonObject newest = audit.json()[QLatin1String("items")][0].toObject();
        QCOMPARE(newest[QLatin1String("actorName")].toString(), QStringLiteral("admin"));
        QCOMPARE(newest[QLatin1String("clientAddress")].toString(), QStringLiteral("127.0.0.1"));
    }

    void badInputIsRefusedAndChangesNothing_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("mentions");
        const QString users = QStringLiteral("/api/users");
        const QString existing = QStringLiteral("/api/users/%1").arg(m_roles.userId(QStringLiteral("user")));
        const auto user = [](QJsonObject fields) {
            QJsonObject body{{QStringLiteral("username"), QStringLiteral("newbie")},
                             {QStringLiteral("password"), QStringLiteral("newbie-password-1")},
                             {QStringLiteral("role"), QStringLiteral("user")}};
            for (auto it = fields.begin(); it != fields.end(); ++it)
                body.insert(it.key(), it.value());
            return QJsonDocument(body).toJson(QJsonDocument::Compact);
        };
        QTest::newRow("broken json") << QByteArray("POST") << users << QByteArray("{\"username\": ") << 400 << "JSON";
        QTest::newRow("array body") << QByteArray("POST") << users << QByteArray("[]") << 400 << "object";
        QTest::newRow("empty body") << QByteArray("POST") << users << QByteArray() << 400 << "object";
        QTest::newRow("username number") << QByteArray("POST") << users << user({{"username", 5}}) << 400 << "username";
        QTest::newRow("enabled string") << QByteArray("POST") << users << user({{"enabled", "yes"}}) << 400
                                        << "enabled";
        QTest::newRow("unknown field") << QByteArray("POST") << users << user({{"isAdmin", true}}) << 400 << "isAdmin";
        QTest::newRow("huge username") << QByteArray("POST") << users << user({{"username", QString(100000, u'a')}})
                                       << 400 << "username";
        QTest::newRow("huge display name")
            << QByteArray("POST") << users << user({{"displayName", QString(5000, u'x')}}) << 400 << "displayName";
        QTest::newRow("username with spaces")
            << QByteArray("POST") << users << user({{"username", "a b"}}) << 400 << "username";
        QTest::newRow("short password") << QByteArray("POST") << users << user({{"password", "short"}}) << 400
                                        << "password";
        QTest::newRow("missing password")
            << QByteArray("POST") << users << QByteArray("{\"username\":\"x\",\"role\":\"user\"}") << 400 << "password";
        QTest::newRow("unknown role") << QByteArray("POST") << users << user({{"role", "emperor"}}) << 400 << "role";
        QTest::newRow("duplicate username")
            << QByteArray("POST") << users << user({{"username", RoleUsers::username("user")}}) << 409 << "exists";
        QTest::newRow("patch duplicate username")
            << QByteArray("PATCH") << existing << json({{"username", RoleUsers::username("admin")}}) << 409 << "exists";
        QTest::newRow("patch nothing") << QByteArray("PATCH") << existing << QByteArray("{}") << 400 << "at least";
        QTest::newRow("patch password field")
            << QByteArray("PATCH") << existing << json({{"password", "x"}}) << 400 << "password";
        QTest::newRow("patch enabled number")
            << QByteArray("PATCH") << existing << QByteArray("{\"enabled\":1}") << 400 << "enabled";
        QTest::newRow("get missing id") << QByteArray("GET") << QStringLiteral("/api/users/999999") << QByteArray()
                                        << 404 << "999999";
        QTest::newRow("get non-numeric id")
            << QByteArray("GET") << QStringLiteral("/api/users/abc") << QByteArray() << 404 << "abc";
        QTest::newRow("get huge id") << QByteArray("GET") << QStringLiteral("/api/users/99999999999999999999999")
                                     << QByteArray() << 404 << "999";
        QTest::newRow("patch missing id") << QByteArray("PATCH") << QStringLiteral("/api/users/999999")
                                          << json({{"enabled", false}}) << 404 << "999999";
        QTest::newRow("delete missing id")
            << QByteArray("DELETE") << QStringLiteral("/api/users/999999") << QByteArray() << 404 << "999999";
        QTest::newRow("reset missing id") << QByteArray("POST") << QStringLiteral("/api/users/999999/password")
                                          << json({{"password", "a-good-password-9"}}) << 404 << "999999";
        QTest::newRow("reset short password") << QByteArray("POST") << existing + QStringLiteral("/password")
                                              << json({{"password", "short"}}) << 400 << "password";
        QTest::newRow("reset unknown field") << QByteArray("POST") << existing + QStringLiteral("/password")
                                             << json({{"password", "a-good-password-9"}, {"user", 1}}) << 400 << "user";
        QTest::newRow("list bad page size")
            << QByteArray("GET") << QStringLiteral("/api/users?pageSize=100000") << QByteArray() << 400 << "pageSize";
        QTest::newRow("list bad sort") << QByteArray("GET") << QStringLiteral("/api/users?sort=password_hash")
                                       << QByteArray() << 400 << "sort";
        QTest::newRow("list unknown filter")
            << QByteArray("GET") << QStringLiteral("/api/users?admin=1") << QByteArray() << 400 << "admin";
        QTest::newRow("list bad enabled")
            << QByteArray("GET") << QStringLiteral("/api/users?enabled=maybe") << QByteArray() << 400 << "enabled";
        QTest::newRow("audit bad time") << QByteArray("GET") << QStringLiteral("/api/audit?from=yesterday")
                                        << QByteArray() << 400 << "from";
        QTest::newRow("audit bad actor") << QByteArray("GET") << QStringLiteral("/api/audit?actorId=x") << QByteArray()
                                         << 400 << "actorId";
    }

    void badInputIsRefusedAndChangesNothing()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, mentions);
        const QByteArray before = snapshot();
        const auto response = call(method, path, body, m_admin);
        QCOMPARE(response.status, status);
        const QString message = response.json()[QLatin1String("error")][QLatin1String("message")].toString();
        QVERIFY2(message.contains(mentions, Qt::CaseInsensitive), qPrintable(message));
        QCOMPARE(snapshot(), before);
    }

    void nobodyDisablesOrDeletesThemselves()
    {
        const Header userAdmin = m_roles.header(QStringLiteral("user_admin"));
        const QString self = QStringLiteral("/api/users/%1").arg(m_roles.userId(QStringLiteral("user_admin")));
        const QByteArray before = snapshot();
        QCOMPARE(call("PATCH", self, json({{QStringLiteral("enabled"), false}}), userAdmin).status, 409);
        QCOMPARE(call("DELETE", self, {}, userAdmin).status, 409);
        QCOMPARE(call("POST", self + QStringLiteral("/password"),
                      json({{QStringLiteral("password"), QStringLiteral("a-good-password-9")}}), userAdmin)
                     .status,
                 400);
        QCOMPARE(snapshot(), before);
    }

    void onlySuperAdminsTouchSuperAdmins()
    {
        const Header admin = m_roles.header(QStringLiteral("admin"));
        const QString superUser = QStringLiteral("/api/users/%1").arg(m_roles.userId(QStringLiteral("super_admin")));
        const QString plainUser = QStringLiteral("/api/users/%1").arg(m_roles.userId(QStringLiteral("api_only")));
        const QByteArray before = snapshot();
        QCOMPARE(call("POST", QStringLiteral("/api/users"),
                      json({{QStringLiteral("username"), QStringLiteral("emperor")},
                            {QStringLiteral("password"), QStringLiteral("a-good-password-1")},
                            {QStringLiteral("role"), QStringLiteral("super_admin")}}),
                      admin)
                     .status,
                 403);
        QCOMPARE(
            call("PATCH", plainUser, json({{QStringLiteral("role"), QStringLiteral("super_admin")}}), admin).status,
            403);
        QCOMPARE(call("PATCH", superUser, json({{QStringLiteral("displayName"), QStringLiteral("x")}}), admin).status,
                 403);
        QCOMPARE(call("DELETE", superUser, {}, admin).status, 403);
        QCOMPARE(call("POST", superUser + QStringLiteral("/password"),
                      json({{QStringLiteral("password"), QStringLiteral("a-good-password-9")}}), admin)
                     .status,
                 403);
        QCOMPARE(snapshot(), before);
        const auto denied = call("GET",
                                 QStringLiteral("/api/audit?action=permission.denied&actorId=%1")
                                     .arg(m_roles.userId(QStringLiteral("admin"))),
                                 {}, m_admin);
        QCOMPARE(denied.json()[QLatin1String("total")].toInt(), 5);
        QCOMPARE(denied.json()[QLatin1String("items")][0][QLatin1String("details")][QLatin1String("action")].toString(),
                 QStringLiteral("user.password_reset"));
    }

    void theLastSuperAdminStaysOne()
    {
        // Two super_admins exist (admin and super_admin-user): one may go, the last may not.
        const Header superAdmin = m_roles.header(QStringLiteral("super_admin"));
        const qint64 firstAdmin = 1;
        QCOMPARE(call("PATCH", QStringLiteral("/api/users/%1").arg(firstAdmin),
                      json({{QStringLiteral("role"), QStringLiteral("admin")}}), superAdmin)
                     .status,
                 200);
        const QString self = QStringLiteral("/api/users/%1").arg(m_roles.userId(QStringLiteral("super_admin")));
        const auto demoted = call("PATCH", self, json({{QStringLiteral("role"), QStringLiteral("admin")}}), superAdmin);
        QCOMPARE(demoted.status, 409);
        QVERIFY(demoted.json()[QLatin1String("error")][QLatin1String("message")].toString().contains(
            QLatin1String("last")));
        QCOMPARE(call("PATCH", QStringLiteral("/api/users/%1").arg(firstAdmin),
                      json({{QStringLiteral("role"), QStringLiteral("super_admin")}}), superAdmin)
                     .status,
                 200);
        m_admin = m_gateway.login(); // the role change ended nothing, but be sure of a fresh token
    }

    // A user change and its audit entry commit together: with the audit log refusing user entries, no change lands.
    void aChangeIsNeverWithoutItsAuditEntry()
    {
        const qint64 bob = createUser(QStringLiteral("bob"), QStringLiteral("user"), m_admin);
        QVERIFY(bob > 0);
        const QString path = QStringLiteral("/api/users/%1").arg(bob);
        Database& database = m_gateway.service().database();
        const bool postgres = m_gateway.config().usesPostgres();
        if (postgres) {
            QVERIFY(database
                        .exec(QStringLiteral("CREATE FUNCTION refuse_user_audit() RETURNS trigger AS $$ BEGIN IF "
                                             "NEW.action LIKE 'user.%' THEN RAISE EXCEPTION 'audit down'; END IF; "
                                             "RETURN NEW; END $$ LANGUAGE plpgsql"))
                        .ok());
            QVERIFY(database
                        .exec(QStringLiteral("CREATE TRIGGER refuse_user_audit BEFORE INSERT ON audit_log FOR EACH ROW "
                                             "EXECUTE FUNCTION refuse_user_audit()"))
                        .ok());
        } else {
            QVERIFY(database
                        .exec(QStringLiteral("CREATE TRIGGER refuse_user_audit BEFORE INSERT ON audit_log WHEN "
                                             "NEW.action LIKE 'user.%' BEGIN SELECT RAISE(ABORT, 'audit down'); END"))
                        .ok());
        }
        const QByteArray before = snapshot();

        QCOMPARE(call("POST", QStringLiteral("/api/users"),
                      json({{QStringLiteral("username"), QStringLiteral("carol")},
                            {QStringLiteral("password"), QStringLiteral("a-good-password-1")},
                            {QStringLiteral("role"), QStringLiteral("user")}}),
                      m_admin)
                     .status,
                 500);
        QCOMPARE(call("PATCH", path, json({{QStringLiteral("enabled"), false}}), m_admin).status, 500);
        QCOMPARE(call("DELETE", path, {}, m_admin).status, 500);
        QCOMPARE(call("POST", path + QStringLiteral("/password"),
                      json({{QStringLiteral("password"), QStringLiteral("a-new-password-2")}}), m_admin)
                     .status,
                 500);
        QCOMPARE(snapshot(), before);
        QVERIFY(database
                    .exec(postgres ? QStringLiteral("DROP TRIGGER refuse_user_audit ON audit_log")
                                   : QStringLiteral("DROP TRIGGER refuse_user_audit"))
                    .ok());
        QVERIFY(m_gateway.login(QStringLiteral("bob"), QStringLiteral("a-good-password-1")).second != "Bearer ");
        QCOMPARE(call("DELETE", path, {}, m_admin).status, 204);
    }

    void rolesListTheBuiltInRoles()
    {
        const auto roles = call("GET", QStringLiteral("/api/roles"), {}, m_roles.header(QStringLiteral("read_only")));
        QCOMPARE(roles.status, 200);
        QStringList names;
        for (const QJsonValue& role : roles.json()[QLatin1String("items")].toArray())
            names << role[QLatin1String("name")].toString();
        QCOMPARE(names, RoleUsers::roles());
        QCOMPARE(roles.json()[QLatin1String("items")][3][QLatin1String("permissions")].toArray(),
                 QJsonArray::fromStringList(Permissions::builtinRoles().at(3).permissions));
    }

    void auditListFiltersAndPages()
    {
        const QString after = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
        for (int i = 0; i < 3; ++i)
            QVERIFY(createUser(QStringLiteral("paged-%1").arg(i), QStringLiteral("user"), m_admin) > 0);
        const auto page = call(
            "GET", QStringLiteral("/api/audit?action=user.create&from=%1&pageSize=2&page=1").arg(after), {}, m_admin);
        QCOMPARE(page.status, 200);
        QCOMPARE(page.json()[QLatin1String("total")].toInt(), 3);
        QCOMPARE(page.json()[QLatin1String("pageSize")].toInt(), 2);
        QCOMPARE(page.json()[QLatin1String("items")].toArray().size(), 2);
        QCOMPARE(page.json()[QLatin1String("items")][0][QLatin1String("details")][QLatin1String("username")].toString(),
                 QStringLiteral("paged-2"));
        const auto second = call(
            "GET", QStringLiteral("/api/audit?action=user.create&from=%1&pageSize=2&page=2").arg(after), {}, m_admin);
        QCOMPARE(second.json()[QLatin1String("items")].toArray().size(), 1);
        QCOMPARE(
            second.json()[QLatin1String("items")][0][QLatin1String("details")][QLatin1String("username")].toString(),
            QStringLiteral("paged-0"));
        const auto prefix = call("GET", QStringLiteral("/api/audit?action=auth.*&actorId=1"), {}, m_admin);
        QVERIFY(prefix.json()[QLatin1String("total")].toInt() > 0);
        for (const QJsonValue& entry : prefix.json()[QLatin1String("items")].toArray())
            QVERIFY(entry[QLatin1String("action")].toString().startsWith(QLatin1String("auth.")));
        const auto empty = call("GET", QStringLiteral("/api/audit?to=2000-01-01T00:00:00Z"), {}, m_admin);
        QCOMPARE(empty.json()[QLatin1String("total")].toInt(), 0);
    }

    void authorizationByRole_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("allowed"); // roles; everyone else 403, anonymous 401
        const QStringList viewers{QStringLiteral("super_admin"), QStringLiteral("admin"), QStringLiteral("user_admin"),
                                  QStringLiteral("read_only")};
        const QStringList managers{QStringLiteral("super_admin"), QStringLiteral("admin"),
                                   QStringLiteral("user_admin")};
        const QString target = QStringLiteral("/api/users/%1").arg(m_roles.userId(QStringLiteral("api_only")));
        QTest::newRow("GET /api/auth/me")
            << QByteArray("GET") << QStringLiteral("/api/auth/me") << QByteArray() << RoleUsers::roles();
        QTest::newRow("GET /api/users") << QByteArray("GET") << QStringLiteral("/api/users") << QByteArray() << viewers;
        QTest::newRow("GET /api/users/{id}") << QByteArray("GET") << target << QByteArray() << viewers;
        QTest::newRow("GET /api/roles") << QByteArray("GET") << QStringLiteral("/api/roles") << QByteArray() << viewers;
        QTest::newRow("GET /api/audit") << QByteArray("GET") << QStringLiteral("/api/audit") << QByteArray() << viewers;
        // A body with one bad field: an allowed caller gets 400 (past the permission check), nothing changes.
        QTest::newRow("POST /api/users")
            << QByteArray("POST") << QStringLiteral("/api/users")
            << QByteArray("{\"username\":\"x y\",\"password\":\"a-good-password-1\",\"role\":\"user\"}") << managers;
        QTest::newRow("PATCH /api/users/{id}")
            << QByteArray("PATCH") << target << QByteArray("{\"enabled\":\"no\"}") << managers;
        QTest::newRow("POST /api/users/{id}/password") << QByteArray("POST") << target + QStringLiteral("/password")
                                                       << QByteArray("{\"password\":\"short\"}") << managers;
    }

    void authorizationByRole()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QStringList, allowed);
        QCOMPARE(call(method, path, body).status, 401);
        for (const QString& role : RoleUsers::roles()) {
            const int status = call(method, path, body, m_roles.header(role)).status;
            if (allowed.contains(role))
                QVERIFY2(status == 200 || status == 400, qPrintable(QStringLiteral("%1: %2").arg(role).arg(status)));
            else
                QVERIFY2(status == 403, qPrintable(QStringLiteral("%1: %2").arg(role).arg(status)));
        }
    }

    void deleteNeedsUsersManage()
    {
        const QString target =
            QStringLiteral("/api/users/%1").arg(createUser(QStringLiteral("doomed"), QStringLiteral("user"), m_admin));
        for (const QString& role : {QStringLiteral("read_only"), QStringLiteral("user"), QStringLiteral("api_only")})
            QCOMPARE(call("DELETE", target, {}, m_roles.header(role)).status, 403);
        QCOMPARE(call("DELETE", target, {}).status, 401);
        QCOMPARE(call("DELETE", target, {}, m_roles.header(QStringLiteral("user_admin"))).status, 204);
    }
};

GATEHOUSE_TEST_MAIN(TestAdminUsers)
#include "TestAdminUsers.moc"
