#include "FakeAuthorizationServer.h"
#include "FakeOpenAI.h"
#include "GatehousedProcess.h"
#include "HttpTestClient.h"
#include "TestRegistry.h"

#include "config/Config.h"
#include "crypto/MasterKey.h"
#include "crypto/SecretBox.h"
#include "storage/Database.h"
#include "storage/SealedColumns.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <sys/stat.h>

// `gatehoused rotate-master-key` while the server serves: every secret sealed again under the new key, the server
// following it, and everything still readable after a restart; with the key in the environment, and cut short.
class TestMasterKeyRotation : public QObject
{
    Q_OBJECT

private:
    static constexpr const char* kPassword = "rotation-admin-password";
    static constexpr const char* kEnvironmentKey = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";
    static constexpr const char* kNewEnvironmentKey =
        "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f";
    static constexpr const char* kClientSecret = "oauth-client-secret-for-rotation-0123";
    FakeOpenAI m_openai;
    FakeAuthorizationServer m_oauth;
    int m_tenants = 0;

    static QProcessEnvironment environment(const QString& masterKey = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GATEHOUSE_ADMIN_PASSWORD"), QLatin1String(kPassword));
        env.insert(QStringLiteral("GATEHOUSE_LOG_LEVEL"), QStringLiteral("warning"));
        env.remove(QStringLiteral("GATEHOUSE_MASTER_KEY"));
        env.remove(QStringLiteral("GATEHOUSE_NEW_MASTER_KEY"));
        if (!masterKey.isEmpty())
            env.insert(QStringLiteral("GATEHOUSE_MASTER_KEY"), masterKey);
        return env;
    }

    struct Run
    {
        int exitCode = -1;
        QString output;
    };

    static Run rotate(const QString& dataDir, const QProcessEnvironment& env)
    {
        QProcess process;
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(qEnvironmentVariable("GATEHOUSED_BINARY"),
                      {QStringLiteral("rotate-master-key"), QStringLiteral("--data-dir"), dataDir});
        Run run;
        if (process.waitForFinished(30'000)) {
            run.exitCode = process.exitCode();
            run.output = QString::fromUtf8(process.readAll());
        }
        return run;
    }

    static int chat(GatehousedProcess& server, const QByteArray& key)
    {
        HttpTestClient client;
        return client
            .post(server.proxy().resolved(QUrl(QStringLiteral("/v1/chat/completions"))),
                  "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                  {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}})
            .status;
    }

    // A provider key with its secret and a gateway key of a new user whose pool holds it; returns the gateway key.
    QByteArray provision(GatehousedProcess& server, const QString& secret)
    {
        const QByteArray token = server.logIn(QStringLiteral("admin"), QLatin1String(kPassword));
        if (server
                .api("PATCH", QStringLiteral("/api/provider-types/1"), token,
                     {{QStringLiteral("baseUrl"), m_openai.url().toString()}})
                .status != 200)
            return {};
        const auto providerKey = server.api("POST", QStringLiteral("/api/provider-keys"), token,
                                            {{QStringLiteral("providerTypeId"), 1},
                                             {QStringLiteral("name"), secret},
                                             {QStringLiteral("secret"), secret}});
        const auto user = server.api("POST", QStringLiteral("/api/users"), token,
                                     {{QStringLiteral("username"), QStringLiteral("tenant-%1").arg(++m_tenants)},
                                      {QStringLiteral("password"), QStringLiteral("tenant-password-%1").arg(m_tenants)},
                                      {QStringLiteral("role"), QStringLiteral("user")}});
        const auto gatewayKey =
            server.api("POST", QStringLiteral("/api/gateway-keys"), token,
                       {{QStringLiteral("name"), QStringLiteral("app")},
                        {QStringLiteral("userId"), user.json()[QLatin1String("id")]},
                        {QStringLiteral("providerTypeId"), 1},
                        {QStringLiteral("pool"), QJsonArray{providerKey.json()[QLatin1String("id")]}}});
        return gatewayKey.json()[QLatin1String("key")].toString().toLatin1();
    }

    // An OAuth configuration with a client secret and an account connected with it: three more sealed values.
    bool connectOAuthAccount(GatehousedProcess& server)
    {
        const QByteArray token = server.logIn(QStringLiteral("admin"), QLatin1String(kPassword));
        const auto config =
            server.api("POST", QStringLiteral("/api/oauth/configs"), token,
                       {{QStringLiteral("providerTypeId"), 1},
                        {QStringLiteral("name"), QStringLiteral("fake")},
                        {QStringLiteral("authorizeUrl"), m_oauth.url(QStringLiteral("/authorize")).toString()},
                        {QStringLiteral("tokenUrl"), m_oauth.url(QStringLiteral("/token")).toString()},
                        {QStringLiteral("clientId"), QLatin1String(FakeAuthorizationServer::kClientId)},
                        {QStringLiteral("clientSecret"), QLatin1String(kClientSecret)},
                        {QStringLiteral("redirectUri"), QLatin1String(FakeAuthorizationServer::kRedirectUri)}});
        const auto started = server.api("POST", QStringLiteral("/api/oauth/authorize"), token,
                                        {{QStringLiteral("configId"), config.json()[QLatin1String("id")]},
                                         {QStringLiteral("name"), QStringLiteral("account")}});
        const QUrl callback = m_oauth.approve(QUrl(started.json()[QLatin1String("authorizationUrl")].toString()));
        return server
                   .api("POST", QStringLiteral("/api/oauth/exchange"), token,
                        {{QStringLiteral("callbackUrl"), callback.toString(QUrl::FullyEncoded)}})
                   .status == 200;
    }

    // Every sealed OAuth value of the database in `dataDir` opens under the key in `keyFile`, and is what was sealed.
    bool oauthValuesOpen(const QString& dataDir, const QString& keyFile)
    {
        auto key = MasterKey::parse(fileBytes(keyFile).trimmed());
        if (!key)
            return false;
        const SecretBox box(std::move(*key));
        Config config;
        config.dataDir = dataDir;
        Database database(config);
        auto rows =
            database.exec(QStringLiteral("SELECT s.id, s.access_token_ciphertext, s.refresh_token_ciphertext, "
                                         "c.id, c.client_secret_ciphertext FROM oauth_sessions s JOIN "
                                         "oauth_configs c ON c.id = s.oauth_config_id WHERE s.status = 'active'"));
        if (!rows || !rows->next())
            return false;
        const auto opens = [&](int column, const SealedColumn& sealed, qint64 id, const QString& expected) {
            auto opened = box.open(rows->value(column).toByteArray(), sealed.associatedData(id));
            return opened && QByteArray(opened->data(), opened->size()) == expected.toUtf8();
        };
        const qint64 session = rows->value(0).toLongLong();
        return opens(1, SealedColumns::kOAuthAccessToken, session, m_oauth.issuedTokens().value(0)) &&
               opens(2, SealedColumns::kOAuthRefreshToken, session, m_oauth.issuedTokens().value(1)) &&
               opens(4, SealedColumns::kOAuthClientSecret, rows->value(3).toLongLong(), QLatin1String(kClientSecret));
    }

    static QByteArray fileBytes(const QString& path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    static uint mode(const QString& path)
    {
        struct stat info;
        return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? info.st_mode & 0777 : 0;
    }

private slots:
    void initTestCase()
    {
        for (const char* secret : {"sk-rotation-before-0123", "sk-rotation-after-01234", "sk-rotation-env-0123456"})
            m_openai.addApiKey(QLatin1String(secret));
        QVERIFY(m_openai.listen());
        m_oauth.setClientSecret(QLatin1String(kClientSecret));
        QVERIFY(m_oauth.listen());
    }

    void aKeyFileRotatesWhileServing()
    {
        QTemporaryDir dir;
        const QString keyFile = QDir(dir.path()).filePath(QStringLiteral("master.key"));
        GatehousedProcess server;
        QVERIFY(server.start(dir.path(), environment()));
        const QByteArray before = provision(server, QStringLiteral("sk-rotation-before-0123"));
        QTRY_COMPARE(chat(server, before), 200);
        QVERIFY(connectOAuthAccount(server));
        const QByteArray oldKey = fileBytes(keyFile);
        QVERIFY(!oldKey.isEmpty());
        QVERIFY(oauthValuesOpen(dir.path(), keyFile));

        const Run rotated = rotate(dir.path(), environment());
        QCOMPARE(rotated.exitCode, 0);
        QVERIFY2(rotated.output.contains(QLatin1String("secrets sealed again")), qPrintable(rotated.output));
        const auto previous = [&] {
            return QDir(dir.path()).entryList({QStringLiteral("master.key.previous-*")}, QDir::Files, QDir::Name);
        };
        QCOMPARE(previous().size(), 1);
        const QString kept = QDir(dir.path()).filePath(previous().first());
        QCOMPARE(fileBytes(kept), oldKey);
        QVERIFY(fileBytes(keyFile) != oldKey);
        QCOMPARE(mode(keyFile), 0600u);
        QCOMPARE(mode(kept), 0600u);
        QVERIFY(!QFile::exists(keyFile + QStringLiteral(".next")));

        // The running server follows the new key, serves on, and seals what it stores next under it.
        QTRY_VERIFY_WITH_TIMEOUT(server.output().contains(QLatin1String("master key rotated")), 5'000);
        QCOMPARE(chat(server, before), 200);
        const QByteArray after = provision(server, QStringLiteral("sk-rotation-after-01234"));
        QTRY_COMPARE(chat(server, after), 200);
        QVERIFY(server.stop());

        // After a restart every secret opens under the new key.
        GatehousedProcess restarted;
        QVERIFY(restarted.start(dir.path(), environment()));
        QCOMPARE(chat(restarted, before), 200);
        QCOMPARE(chat(restarted, after), 200);
        QVERIFY(!restarted.output().contains(QLatin1String("cannot be decrypted")));
        QVERIFY(restarted.stop());
        QVERIFY(oauthValuesOpen(dir.path(), keyFile));

        // A second rotation keeps the first one's old key too: backups from before either need theirs.
        QCOMPARE(rotate(dir.path(), environment()).exitCode, 0);
        QCOMPARE(previous().size(), 2);
        QCOMPARE(fileBytes(kept), oldKey);

        Config config;
        config.dataDir = dir.path();
        Database database(config);
        auto audit = database.exec(QStringLiteral("SELECT details FROM audit_log WHERE action = 'master_key.rotate'"));
        QVERIFY(audit && audit->next());
        // a provider key, an OAuth client secret, an account's access and refresh tokens, the JWT secret
        QVERIFY2(audit->value(0).toString().contains(QLatin1String("\"secrets\":5")),
                 qPrintable(audit->value(0).toString()));
    }

    void aKeyFromTheEnvironmentNeedsTheNewOneGiven()
    {
        QTemporaryDir dir;
        GatehousedProcess server;
        QVERIFY(server.start(dir.path(), environment(QLatin1String(kEnvironmentKey))));
        const QByteArray key = provision(server, QStringLiteral("sk-rotation-env-0123456"));
        QTRY_COMPARE(chat(server, key), 200);

        const Run refused = rotate(dir.path(), environment(QLatin1String(kEnvironmentKey)));
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.output.contains(QLatin1String("GATEHOUSE_NEW_MASTER_KEY")), qPrintable(refused.output));

        QProcessEnvironment withNew = environment(QLatin1String(kEnvironmentKey));
        withNew.insert(QStringLiteral("GATEHOUSE_NEW_MASTER_KEY"), QLatin1String(kNewEnvironmentKey));
        const Run rotated = rotate(dir.path(), withNew);
        QCOMPARE(rotated.exitCode, 0);
        QVERIFY(!rotated.output.contains(QLatin1String(kNewEnvironmentKey))); // keys are never printed
        // The server cannot read the new key from its environment: it says so and serves on.
        QTRY_VERIFY_WITH_TIMEOUT(server.output().contains(QLatin1String("restart it with the new key")), 5'000);
        QCOMPARE(server.output().count(QLatin1String("restart it with the new key")), 1); // said once
        QCOMPARE(chat(server, key), 200);
        // It still applies admin changes (with the secrets it holds), and refuses to seal new ones under the old key.
        const QByteArray token = server.logIn(QStringLiteral("admin"), QLatin1String(kPassword));
        const auto keys = server.api("GET", QStringLiteral("/api/gateway-keys"), token, {});
        const qint64 keyId = keys.json()[QLatin1String("items")].toArray().first()[QLatin1String("id")].toInteger();
        const int deleted = server.api("DELETE", QStringLiteral("/api/gateway-keys/%1").arg(keyId), token, {}).status;
        QVERIFY2(deleted == 200 || deleted == 204, QByteArray::number(deleted));
        QTRY_COMPARE(chat(server, key), 401);
        const auto sealing = server.api("POST", QStringLiteral("/api/provider-keys"), token,
                                        {{QStringLiteral("providerTypeId"), 1},
                                         {QStringLiteral("name"), QStringLiteral("later")},
                                         {QStringLiteral("secret"), QStringLiteral("sk-rotation-later-01234")}});
        QCOMPARE(sealing.status, 409);
        QVERIFY(sealing.body.contains("master key was rotated"));
        QVERIFY(server.stop());

        GatehousedProcess old;
        QVERIFY(!old.start(dir.path(), environment(QLatin1String(kEnvironmentKey)))); // the old key no longer opens it
        GatehousedProcess restarted;
        QVERIFY(restarted.start(dir.path(), environment(QLatin1String(kNewEnvironmentKey))));
        const QByteArray again = provision(restarted, QStringLiteral("sk-rotation-after-01234"));
        QTRY_COMPARE(chat(restarted, again), 200);
        QVERIFY(!restarted.output().contains(QLatin1String("cannot be decrypted"))); // the first provider key too
    }

    void aRotationCutShortIsFinishedAtTheNextStart()
    {
        QTemporaryDir dir;
        const QString keyFile = QDir(dir.path()).filePath(QStringLiteral("master.key"));
        QByteArray key;
        {
            GatehousedProcess server;
            QVERIFY(server.start(dir.path(), environment()));
            key = provision(server, QStringLiteral("sk-rotation-before-0123"));
            QTRY_COMPARE(chat(server, key), 200);
        }
        QCOMPARE(rotate(dir.path(), environment()).exitCode, 0);
        // As if it had stopped after its commit, before the key files moved.
        QVERIFY(QFile::rename(keyFile, keyFile + QStringLiteral(".next")));
        const QStringList previous = QDir(dir.path()).entryList({QStringLiteral("master.key.previous-*")}, QDir::Files);
        QCOMPARE(previous.size(), 1);
        QVERIFY(QFile::rename(QDir(dir.path()).filePath(previous.first()), keyFile));

        GatehousedProcess server;
        QVERIFY(server.start(dir.path(), environment()));
        QVERIFY(server.output().contains(QLatin1String("finished an interrupted master key rotation")));
        QCOMPARE(chat(server, key), 200);
        QVERIFY(!QFile::exists(keyFile + QStringLiteral(".next")));
    }
};

GATEHOUSE_TEST_MAIN(TestMasterKeyRotation)
#include "TestMasterKeyRotation.moc"
