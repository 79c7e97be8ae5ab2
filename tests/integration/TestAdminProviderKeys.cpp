#include "AdminApiClient.h"
#include "GatewayHarness.h"
#include "RecordedLog.h"
#include "TestRegistry.h"

#include "service/ProviderKeyService.h"
#include "storage/Database.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>

// /api/provider-keys: CRUD, a write-only secret (masked in responses, sealed at rest, shown only by reveal),
// permissions, strict input, lists.
class TestAdminProviderKeys : public QObject
{
    Q_OBJECT

private:
    // Long and distinctive, so a byte search of the database cannot miss it or match by chance.
    const QString kSecret = QStringLiteral("sk-test-Q7vZpL3mXw9RtY2bNc8KdF4hJ6gS1aE5uI0oPqWzXyVbN");
    const QString kOtherSecret = QStringLiteral("sk-test-second-Hq2Wm9Zx4Lp7Rv3Tn8Ks6Jd1Fb5Gc0Ya");

    GatewayHarness m_gateway;
    std::unique_ptr<AdminApiClient> m_admin;
    qint64 m_openai = 0;
    qint64 m_anthropic = 0;

    static QString errorMessage(const HttpTestClient::Response& response)
    {
        return response.json()[QLatin1String("error")][QLatin1String("message")].toString();
    }

    qint64 typeId(const QString& name)
    {
        const auto types = m_admin->get(QStringLiteral("/api/provider-types?q=") + name);
        for (const QJsonValue& type : types.json()[QLatin1String("items")].toArray()) {
            if (type[QLatin1String("name")].toString() == name)
                return type[QLatin1String("id")].toInteger();
        }
        return 0;
    }

    HttpTestClient::Response createKey(const QString& name, const QString& secret, qint64 type)
    {
        return m_admin->post(QStringLiteral("/api/provider-keys"), {{QStringLiteral("name"), name},
                                                                    {QStringLiteral("providerTypeId"), type},
                                                                    {QStringLiteral("secret"), secret}});
    }

    qint64 auditCount(const QString& action, qint64 objectId)
    {
        auto row = m_gateway.service().database().exec(
            QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = ? AND object_id = ?"),
            {action, QString::number(objectId)});
        return row && row->next() ? row->value(0).toLongLong() : -1;
    }

private slots:
    void initTestCase()
    {
        RecordedLog::start();
        QVERIFY(m_gateway.start());
        m_admin = std::make_unique<AdminApiClient>(m_gateway);
        m_openai = typeId(QStringLiteral("openai"));
        m_anthropic = typeId(QStringLiteral("anthropic"));
        QVERIFY(m_openai > 0 && m_anthropic > 0);
    }

    void createShowsOnlyAMaskedSecret()
    {
        const auto created = createKey(QStringLiteral("primary"), kSecret, m_openai);
        QCOMPARE(created.status, 201);
        QVERIFY(!created.body.contains(kSecret.toUtf8()));
        const QJsonObject key = created.json().object();
        QCOMPARE(key[QLatin1String("name")].toString(), QStringLiteral("primary"));
        QCOMPARE(key[QLatin1String("providerType")].toString(), QStringLiteral("openai"));
        QCOMPARE(key[QLatin1String("secretMasked")].toString(),
                 kSecret.left(6) + QStringLiteral("…") + kSecret.right(4));
        QCOMPARE(key[QLatin1String("weight")].toInt(), 1);
        QVERIFY(key[QLatin1String("rpmLimit")].isNull());
        QCOMPARE(key[QLatin1String("health")][QLatin1String("status")].toString(), QStringLiteral("unknown"));
        QVERIFY(key[QLatin1String("createdAt")].toString().endsWith(u'Z'));
        const qint64 id = key[QLatin1String("id")].toInteger();

        const auto one = m_admin->get(QStringLiteral("/api/provider-keys/%1").arg(id));
        QCOMPARE(one.status, 200);
        QVERIFY(!one.body.contains(kSecret.toUtf8()));
        const auto list = m_admin->get(QStringLiteral("/api/provider-keys"));
        QCOMPARE(list.status, 200);
        QVERIFY(!list.body.contains(kSecret.toUtf8()));
        QCOMPARE(auditCount(QStringLiteral("provider_key.create"), id), 1);
    }

    void revealReturnsTheSecretAndIsAudited()
    {
        const auto created = createKey(QStringLiteral("to-reveal"), kSecret, m_anthropic);
        QCOMPARE(created.status, 201);
        const qint64 id = created.json()[QLatin1String("id")].toInteger();
        const auto revealed = m_admin->post(QStringLiteral("/api/provider-keys/%1/reveal").arg(id));
        QCOMPARE(revealed.status, 200);
        QCOMPARE(revealed.json()[QLatin1String("secret")].toString(), kSecret);
        QCOMPARE(auditCount(QStringLiteral("provider_key.reveal"), id), 1);
        QCOMPARE(m_admin->post(QStringLiteral("/api/provider-keys/999999/reveal")).status, 404);
    }

    void newSecretIsSealedAgain()
    {
        const auto created = createKey(QStringLiteral("rotating"), kSecret, m_openai);
        const qint64 id = created.json()[QLatin1String("id")].toInteger();
        const auto patched =
            m_admin->patch(QStringLiteral("/api/provider-keys/%1").arg(id), {{QStringLiteral("secret"), kOtherSecret}});
        QCOMPARE(patched.status, 200);
        QVERIFY(!patched.body.contains(kOtherSecret.toUtf8()));
        QCOMPARE(patched.json()[QLatin1String("secretMasked")].toString(),
                 kOtherSecret.left(6) + QStringLiteral("…") + kOtherSecret.right(4));
        const auto revealed = m_admin->post(QStringLiteral("/api/provider-keys/%1/reveal").arg(id));
        QCOMPARE(revealed.json()[QLatin1String("secret")].toString(), kOtherSecret);
    }

    void sealedSecretIsBoundToItsRow()
    {
        // A ciphertext copied onto another row does not open there: the row id is the associated data.
        const qint64 first =
            createKey(QStringLiteral("bound-a"), kSecret, m_openai).json()[QLatin1String("id")].toInteger();
        const qint64 second =
            createKey(QStringLiteral("bound-b"), kOtherSecret, m_openai).json()[QLatin1String("id")].toInteger();
        QVERIFY(m_gateway.service().database().exec(
            QStringLiteral("UPDATE provider_keys SET secret_ciphertext = (SELECT secret_ciphertext FROM provider_keys "
                           "WHERE id = ?) WHERE id = ?"),
            {first, second}));
        QCOMPARE(m_admin->post(QStringLiteral("/api/provider-keys/%1/reveal").arg(second)).status, 500);
    }

    void noSecretInClearTextInTheDatabaseFiles()
    {
        const QByteArray bytes = m_gateway.storedBytes();
        QVERIFY(bytes.contains("bound-a")); // the scan does see the rows written so far
        QVERIFY(!bytes.contains(kSecret.toUtf8()));
        QVERIFY(!bytes.contains(kOtherSecret.toUtf8()));
        // Nor a large piece of it (the masked ends are at most a third).
        QVERIFY(!bytes.contains(kSecret.mid(6, 20).toUtf8()));
    }

    void visibleEndsNeverExceedAThird_data()
    {
        QTest::addColumn<QString>("secret");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("suffix");
        QTest::newRow("long") << kSecret << kSecret.left(6) << kSecret.right(4);
        QTest::newRow("12 chars") << QStringLiteral("abcdefghijkl") << QStringLiteral("ab") << QStringLiteral("kl");
        QTest::newRow("8 chars") << QStringLiteral("abcdefgh") << QStringLiteral("a") << QStringLiteral("h");
        QTest::newRow("2 chars") << QStringLiteral("ab") << QString() << QString();
    }

    void visibleEndsNeverExceedAThird()
    {
        QFETCH(QString, secret);
        QFETCH(QString, prefix);
        QFETCH(QString, suffix);
        const auto ends = ProviderKeyService::visibleEnds(secret);
        QCOMPARE(ends.first, prefix);
        QCOMPARE(ends.second, suffix);
        QVERIFY((ends.first.size() + ends.second.size()) * 3 <= secret.size());
    }

    void duplicateNamesConflictPerType()
    {
        QCOMPARE(createKey(QStringLiteral("dup"), kSecret, m_openai).status, 201);
        const auto again = createKey(QStringLiteral("dup"), kSecret, m_openai);
        QCOMPARE(again.status, 409);
        QVERIFY(errorMessage(again).contains(QStringLiteral("dup")));
        QCOMPARE(createKey(QStringLiteral("dup"), kSecret, m_anthropic).status, 201);
    }

    void deleteIsSoftAndFreesTheName()
    {
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        const qint64 id =
            createKey(QStringLiteral("short-lived"), kSecret, m_openai).json()[QLatin1String("id")].toInteger();
        QCOMPARE(routing.count(), 1);
        QCOMPARE(m_admin->remove(QStringLiteral("/api/provider-keys/%1").arg(id)).status, 204);
        QCOMPARE(routing.count(), 2);
        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-keys/%1").arg(id)).status, 404);
        QCOMPARE(m_admin->remove(QStringLiteral("/api/provider-keys/%1").arg(id)).status, 404);
        QCOMPARE(m_admin->post(QStringLiteral("/api/provider-keys/%1/reveal").arg(id)).status, 404);
        const auto list = m_admin->get(QStringLiteral("/api/provider-keys?q=short-lived"));
        QCOMPARE(list.json()[QLatin1String("total")].toInt(), 0);
        auto row = m_gateway.service().database().exec(
            QStringLiteral("SELECT deleted_at FROM provider_keys WHERE id = ?"), {id});
        QVERIFY(row && row->next() && !row->value(0).isNull());
        QCOMPARE(createKey(QStringLiteral("short-lived"), kSecret, m_openai).status, 201);
        QCOMPARE(auditCount(QStringLiteral("provider_key.delete"), id), 1);
    }

    void patchChangesFieldsAndEmitsRoutingChanged()
    {
        const qint64 id =
            createKey(QStringLiteral("tunable"), kSecret, m_openai).json()[QLatin1String("id")].toInteger();
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        const auto patched =
            m_admin->patch(QStringLiteral("/api/provider-keys/%1").arg(id), {{QStringLiteral("weight"), 5},
                                                                             {QStringLiteral("rpmLimit"), 60},
                                                                             {QStringLiteral("tpmLimit"), 100000},
                                                                             {QStringLiteral("active"), false}});
        QCOMPARE(patched.status, 200);
        QCOMPARE(patched.json()[QLatin1String("weight")].toInt(), 5);
        QCOMPARE(patched.json()[QLatin1String("rpmLimit")].toInt(), 60);
        QCOMPARE(patched.json()[QLatin1String("tpmLimit")].toInt(), 100000);
        QCOMPARE(patched.json()[QLatin1String("active")].toBool(), false);
        QCOMPARE(routing.count(), 1);
        const auto cleared = m_admin->patch(QStringLiteral("/api/provider-keys/%1").arg(id),
                                            {{QStringLiteral("rpmLimit"), QJsonValue()}});
        QCOMPARE(cleared.status, 200);
        QVERIFY(cleared.json()[QLatin1String("rpmLimit")].isNull());
        QCOMPARE(routing.count(), 2);
    }

    void badInputIsRefusedAndChangesNothing_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        const QString type = QString::number(m_openai);
        const auto create = [&](const QString& fields) {
            return QStringLiteral("{\"name\":\"bad\",\"providerTypeId\":%1,\"secret\":\"sk-valid-secret-123\"%2}")
                .arg(type, fields)
                .toUtf8();
        };
        QTest::newRow("broken json") << QByteArray("POST") << "/api/provider-keys" << QByteArray("{\"name\":") << 400
                                     << "not valid JSON";
        QTest::newRow("array body") << QByteArray("POST") << "/api/provider-keys" << QByteArray("[]") << 400
                                    << "must be a JSON object";
        QTest::newRow("wrong type") << QByteArray("POST") << "/api/provider-keys" << create(",\"weight\":\"5\"") << 400
                                    << "'weight' must be a whole number";
        QTest::newRow("unknown field") << QByteArray("POST") << "/api/provider-keys" << create(",\"colour\":1") << 400
                                       << "'colour' is not a known field";
        QTest::newRow("huge weight") << QByteArray("POST") << "/api/provider-keys" << create(",\"weight\":1e300") << 400
                                     << "'weight'";
        QTest::newRow("huge limit") << QByteArray("POST") << "/api/provider-keys"
                                    << create(",\"rpmLimit\":99999999999999") << 400 << "'rpmLimit'";
        QTest::newRow("zero limit") << QByteArray("POST") << "/api/provider-keys" << create(",\"rpdLimit\":0") << 400
                                    << "'rpdLimit'";
        QTest::newRow("health is read-only")
            << QByteArray("POST") << "/api/provider-keys" << create(",\"health\":{\"status\":\"healthy\"}") << 400
            << "'health' is not a known field";
        QTest::newRow("secret with newline")
            << QByteArray("POST") << "/api/provider-keys"
            << QStringLiteral("{\"name\":\"bad\",\"providerTypeId\":%1,\"secret\":\"sk-abc\\r\\nX-Evil: 1\"}")
                   .arg(type)
                   .toUtf8()
            << 400 << "'secret' must be printable ASCII";
        QTest::newRow("short secret")
            << QByteArray("POST") << "/api/provider-keys"
            << QStringLiteral("{\"name\":\"bad\",\"providerTypeId\":%1,\"secret\":\"x\"}").arg(type).toUtf8() << 400
            << "'secret' must be 8 to 4096";
        QTest::newRow("missing fields") << QByteArray("POST") << "/api/provider-keys" << QByteArray("{}") << 400
                                        << "'name' is required";
        QTest::newRow("no such type")
            << QByteArray("POST") << "/api/provider-keys"
            << QByteArray("{\"name\":\"bad\",\"providerTypeId\":424242,\"secret\":\"sk-valid-1234\"}") << 400
            << "'providerTypeId' 424242 is not a provider type";
        QTest::newRow("long name") << QByteArray("POST") << "/api/provider-keys"
                                   << QStringLiteral(
                                          "{\"name\":\"%1\",\"providerTypeId\":%2,\"secret\":\"sk-valid-1234\"}")
                                          .arg(QString(300, u'n'), type)
                                          .toUtf8()
                                   << 400 << "'name' must be 1 to 200";
        QTest::newRow("duplicate name")
            << QByteArray("POST") << "/api/provider-keys"
            << QStringLiteral("{\"name\":\"primary\",\"providerTypeId\":%1,\"secret\":\"sk-valid-1234\"}")
                   .arg(type)
                   .toUtf8()
            << 409 << "already exists";
        QTest::newRow("patch unknown id") << QByteArray("PATCH") << "/api/provider-keys/987654"
                                          << QByteArray("{\"weight\":2}") << 404 << "no provider key with id 987654";
        QTest::newRow("patch type") << QByteArray("PATCH") << "/api/provider-keys/1"
                                    << QByteArray("{\"providerTypeId\":2}") << 400 << "cannot be changed";
        QTest::newRow("patch bad id") << QByteArray("PATCH") << "/api/provider-keys/abc" << QByteArray("{\"weight\":2}")
                                      << 404 << "no such object";
        QTest::newRow("delete unknown id")
            << QByteArray("DELETE") << "/api/provider-keys/987654" << QByteArray() << 404 << "no provider key";
    }

    void badInputIsRefusedAndChangesNothing()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, message);
        const QByteArray before = m_admin->get(QStringLiteral("/api/provider-keys?pageSize=500")).body;
        QSignalSpy routing(&m_gateway.service(), &GatewayService::routingChanged);
        const auto response = m_admin->sendRaw(method, path, body);
        QCOMPARE(response.status, status);
        QVERIFY2(errorMessage(response).contains(message), qPrintable(errorMessage(response)));
        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-keys?pageSize=500")).body, before);
        QCOMPARE(routing.count(), 0);
    }

    void listsPageFilterAndSort()
    {
        for (const char* name : {"list-c", "list-a", "list-b", "list_%x"})
            QCOMPARE(createKey(QLatin1String(name), kSecret, m_anthropic).status, 201);
        const auto page = m_admin->get(QStringLiteral("/api/provider-keys?q=list&sort=-name&pageSize=2&page=2"));
        QCOMPARE(page.status, 200);
        QCOMPARE(page.json()[QLatin1String("total")].toInt(), 4);
        QCOMPARE(page.json()[QLatin1String("page")].toInt(), 2);
        QCOMPARE(page.json()[QLatin1String("pageSize")].toInt(), 2);
        const QJsonArray items = page.json()[QLatin1String("items")].toArray();
        QCOMPARE(items.size(), 2);
        QCOMPARE(items.at(0)[QLatin1String("name")].toString(), QStringLiteral("list-b"));
        QCOMPARE(items.at(1)[QLatin1String("name")].toString(), QStringLiteral("list-a"));

        // '_' and '%' are matched literally, not as wildcards.
        const auto literal = m_admin->get(QStringLiteral("/api/provider-keys?q=list_%25"));
        QCOMPARE(literal.json()[QLatin1String("total")].toInt(), 1);
        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-keys?q=lis_-")).json()[QLatin1String("total")].toInt(), 0);

        const auto byType =
            m_admin->get(QStringLiteral("/api/provider-keys?providerTypeId=%1&pageSize=500").arg(m_openai));
        for (const QJsonValue& key : byType.json()[QLatin1String("items")].toArray())
            QCOMPARE(key[QLatin1String("providerType")].toString(), QStringLiteral("openai"));
        const auto inactive = m_admin->get(QStringLiteral("/api/provider-keys?active=false"));
        QCOMPARE(inactive.json()[QLatin1String("total")].toInt(), 1); // "tunable"

        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-keys?sort=secret_ciphertext")).status, 400);
        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-keys?sort=name;DROP")).status, 400);
        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-keys?pageSize=501")).status, 400);
        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-keys?page=0")).status, 400);
        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-keys?active=yes")).status, 400);
        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-keys?colour=red")).status, 400);
        QCOMPARE(m_admin->get(QStringLiteral("/api/provider-keys?q=") + QString(101, u'x')).status, 400);
    }

    void permissionsDecide()
    {
        AdminApiClient::createUser(m_gateway, QStringLiteral("viewer"), QStringLiteral("viewer-password-1"),
                                   QStringLiteral("read_only"));
        AdminApiClient::createUser(m_gateway, QStringLiteral("plain"), QStringLiteral("plain-password-1"),
                                   QStringLiteral("user"));
        AdminApiClient viewer(m_gateway, QStringLiteral("viewer"), QStringLiteral("viewer-password-1"));
        AdminApiClient plain(m_gateway, QStringLiteral("plain"), QStringLiteral("plain-password-1"));

        const auto list = viewer.get(QStringLiteral("/api/provider-keys"));
        QCOMPARE(list.status, 200);
        const qint64 id = list.json()[QLatin1String("items")][0][QLatin1String("id")].toInteger();
        QCOMPARE(viewer.get(QStringLiteral("/api/provider-keys/%1").arg(id)).status, 200);
        const auto reveal = viewer.post(QStringLiteral("/api/provider-keys/%1/reveal").arg(id));
        QCOMPARE(reveal.status, 403);
        QVERIFY(!reveal.body.contains("sk-test"));
        QCOMPARE(viewer.patch(QStringLiteral("/api/provider-keys/%1").arg(id), {{QStringLiteral("weight"), 9}}).status,
                 403);
        QCOMPARE(viewer.remove(QStringLiteral("/api/provider-keys/%1").arg(id)).status, 403);
        QCOMPARE(
            viewer.post(QStringLiteral("/api/provider-keys"), {{QStringLiteral("name"), QStringLiteral("x")}}).status,
            403);
        QCOMPARE(plain.get(QStringLiteral("/api/provider-keys")).status, 403);
        QCOMPARE(plain.get(QStringLiteral("/api/provider-keys/%1").arg(id)).status, 403);

        auto denied = m_gateway.service().database().exec(
            QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = 'permission.denied' AND details LIKE "
                           "'%provider_key.reveal%'"));
        QVERIFY(denied && denied->next());
        QCOMPARE(denied->value(0).toInt(), 1);
        QVERIFY(m_admin->get(QStringLiteral("/api/provider-keys/%1").arg(id)).json()[QLatin1String("weight")].toInt() !=
                9);
    }

    void noSecretInTheLog()
    {
        const QStringList lines = RecordedLog::lines();
        QVERIFY(!lines.isEmpty()); // the decryption failure above was logged
        for (const QString& line : lines)
            QVERIFY2(!line.contains(QStringLiteral("sk-test")), qPrintable(line));
    }

    void noSecretInTheAuditLog()
    {
        auto rows = m_gateway.service().database().exec(QStringLiteral("SELECT details FROM audit_log"));
        QVERIFY(rows);
        int count = 0;
        while (rows->next()) {
            ++count;
            QVERIFY(!rows->value(0).toString().contains(QStringLiteral("sk-test")));
        }
        QVERIFY(count > 5);
    }
};

GATEHOUSE_TEST_MAIN(TestAdminProviderKeys)
#include "TestAdminProviderKeys.moc"
