#include "ScratchDatabase.h"
#include "TestRegistry.h"
#include "auth/Permissions.h"
#include "providers/ApiFormat.h"
#include "storage/Database.h"
#include "storage/Migrator.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

namespace {

const QStringList kTables{QStringLiteral("roles"),
                          QStringLiteral("users"),
                          QStringLiteral("refresh_tokens"),
                          QStringLiteral("provider_types"),
                          QStringLiteral("provider_keys"),
                          QStringLiteral("gateway_keys"),
                          QStringLiteral("gateway_key_pool"),
                          QStringLiteral("traces"),
                          QStringLiteral("model_pricing"),
                          QStringLiteral("oauth_sessions"),
                          QStringLiteral("audit_log"),
                          QStringLiteral("settings"),
                          QStringLiteral("health_probes"),
                          QStringLiteral("schema_version")};

qint64 scalar(Database& db, const QString& sql, const QVariantList& values = {})
{
    auto query = db.exec(sql, values);
    if (!query || !query->next())
        qFatal("query failed: %s", qPrintable(query ? sql : query.error().message));
    return query->value(0).toLongLong();
}

// The version the shipped migrations lead to: one per file in sql/.
int latestVersion(Database& db)
{
    return int(Migrator(db).migrations()->size());
}

bool tableExists(Database& db, const QString& table)
{
    return db.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(table)).ok();
}

void writeFile(const QString& path, const QByteArray& content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

// A user of the built-in "user" role; returns its id.
qint64 addUser(Database& db, const QString& name)
{
    auto inserted = db.exec(QStringLiteral("INSERT INTO users (username, password_hash, role_id, password_changed_at, "
                                           "created_at, updated_at) SELECT ?, 'x', id, 0, 0, 0 FROM roles "
                                           "WHERE name = 'user' RETURNING id"),
                            {name});
    if (!inserted || !inserted->next())
        qFatal("cannot add user: %s", qPrintable(inserted ? QString() : inserted.error().message));
    return inserted->value(0).toLongLong();
}

Result<QSqlQuery> addGatewayKey(Database& db, qint64 userId, const QString& providerType, const QString& hash,
                                int enabled = 1)
{
    return db.exec(QStringLiteral("INSERT INTO gateway_keys (user_id, provider_type_id, key_hash, key_prefix, enabled, "
                                  "created_at, updated_at) SELECT ?, id, ?, 'gh-', ?, 0, 0 FROM provider_types "
                                  "WHERE name = ?"),
                   {userId, hash, enabled, providerType});
}

} // namespace

class TestMigrator : public QObject
{
    Q_OBJECT

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void embeddedMigrationsAreFound()
    {
        ScratchDatabase scratch(QStringLiteral("sqlite"));
        Database db(scratch.config());
        auto migrations = Migrator(db).migrations();
        QVERIFY2(migrations.ok(), qPrintable(migrations.ok() ? QString() : migrations.error().message));
        QCOMPARE(migrations->size(), 14);
        QCOMPARE(migrations->at(0).name, QStringLiteral("initial"));
        QCOMPARE(migrations->at(1).name, QStringLiteral("seed"));
        QCOMPARE(migrations->at(2).name, QStringLiteral("trace_indexes"));
        QCOMPARE(migrations->at(3).name, QStringLiteral("traces_rowid"));
        QCOMPARE(migrations->at(4).name, QStringLiteral("route_allowlists"));
        QCOMPARE(migrations->at(5).name, QStringLiteral("format_defaults"));
        QCOMPARE(migrations->at(6).name, QStringLiteral("change_counter"));
        QCOMPARE(migrations->at(7).name, QStringLiteral("revocations"));
        QCOMPARE(migrations->at(8).name, QStringLiteral("health_counter"));
        QCOMPARE(migrations->at(9).name, QStringLiteral("health_reset"));
        QCOMPARE(migrations->at(10).name, QStringLiteral("login_throttle"));
        QCOMPARE(migrations->at(11).name, QStringLiteral("shared_ejections"));
        QCOMPARE(migrations->at(12).name, QStringLiteral("stats_rollups"));
    }

    void statementsAreSplitAtLineEndSemicolons()
    {
        const QString sql = QStringLiteral("-- a comment; not a statement\n"
                                           "CREATE TABLE t (\n    id {{ID}},\n    data {{BLOB}}\n);\n\n"
                                           "INSERT INTO t (data) VALUES ('a;b');\n"
                                           "  -- indented comment;\n"
                                           "INSERT INTO x VALUES ({{NOW}});\n"
                                           "CREATE TABLE k (a INTEGER PRIMARY KEY){{WITHOUT_ROWID}}");
        const QStringList sqlite = Migrator::statements(sql, Database::Kind::Sqlite, 42);
        QCOMPARE(sqlite.size(), 4);
        QCOMPARE(sqlite[0],
                 QStringLiteral("CREATE TABLE t (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    data BLOB\n)"));
        QCOMPARE(sqlite[1], QStringLiteral("INSERT INTO t (data) VALUES ('a;b')"));
        QCOMPARE(sqlite[2], QStringLiteral("INSERT INTO x VALUES (42)"));
        QCOMPARE(sqlite[3], QStringLiteral("CREATE TABLE k (a INTEGER PRIMARY KEY) WITHOUT ROWID"));
        const QStringList postgres = Migrator::statements(sql, Database::Kind::Postgresql, 42);
        QVERIFY(postgres[0].contains(QLatin1String("id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,")));
        QVERIFY(postgres[0].contains(QLatin1String("data BYTEA")));
        QCOMPARE(postgres[3], QStringLiteral("CREATE TABLE k (a INTEGER PRIMARY KEY)"));
    }

    void statementsCanBeForOneEngine()
    {
        const QString sql = QStringLiteral("CREATE TABLE both_engines (id {{ID}});\n"
                                           "-- @sqlite\n"
                                           "CREATE TABLE lite (\n    id INTEGER PRIMARY KEY\n);\n"
                                           "-- @postgresql\n"
                                           "-- a comment between the mark and its statement\n"
                                           "CREATE TABLE pg (id BIGINT);\n"
                                           "DROP TABLE both_engines;");
        const QStringList sqlite = Migrator::statements(sql, Database::Kind::Sqlite, 42);
        QCOMPARE(sqlite.size(), 3);
        QVERIFY(sqlite[0].startsWith(QLatin1String("CREATE TABLE both_engines")));
        QCOMPARE(sqlite[1], QStringLiteral("CREATE TABLE lite (\n    id INTEGER PRIMARY KEY\n)"));
        QCOMPARE(sqlite[2], QStringLiteral("DROP TABLE both_engines"));
        const QStringList postgres = Migrator::statements(sql, Database::Kind::Postgresql, 42);
        QCOMPARE(postgres.size(), 3);
        QCOMPARE(postgres[1], QStringLiteral("CREATE TABLE pg (id BIGINT)"));
        QCOMPARE(postgres[2], QStringLiteral("DROP TABLE both_engines"));
    }

    void badMigrationSourcesAreRefused_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("message");
        QTest::newRow("gap") << QStringList{"001_a.sql", "003_c.sql"}
                             << "migration 003_c.sql is out of sequence: expected number 2";
        QTest::newRow("bad name") << QStringList{"001_a.sql", "2_b.sql"}
                                  << "migration file 2_b.sql is not named NNN_name.sql";
        QTest::newRow("empty") << QStringList{} << "no migrations found in";
    }

    void badMigrationSourcesAreRefused()
    {
        QFETCH(QStringList, files);
        QFETCH(QString, message);
        QTemporaryDir source;
        for (const QString& file : files)
            writeFile(source.filePath(file), "CREATE TABLE x (id INTEGER);\n");
        ScratchDatabase scratch(QStringLiteral("sqlite"));
        Database db(scratch.config());
        auto result = Migrator(db, source.path()).migrate();
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.startsWith(message), qPrintable(result.error().message));
    }

    void freshDatabaseGetsSchemaAndSeed_data() { ScratchDatabase::addEngineRows(); }
    void freshDatabaseGetsSchemaAndSeed()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        auto version = Migrator(db).migrate();
        QVERIFY2(version.ok(), qPrintable(version.ok() ? QString() : version.error().message));
        QCOMPARE(*version, latestVersion(db));
        QVERIFY(*version >= 3);
        for (const QString& table : kTables)
            QVERIFY2(tableExists(db, table), qPrintable(table));

        auto applied = db.exec(QStringLiteral("SELECT version, name, applied_at FROM schema_version ORDER BY version"));
        QVERIFY(applied.ok());
        QVERIFY(applied->next());
        QCOMPARE(applied->value(1).toString(), QStringLiteral("initial"));
        QVERIFY(applied->value(2).toLongLong() > 1'700'000'000'000); // milliseconds since the epoch
        QVERIFY(applied->next());
        QCOMPARE(applied->value(1).toString(), QStringLiteral("seed"));

        // The built-in roles as the code defines them.
        const auto roles = Permissions::builtinRoles();
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM roles WHERE builtin = 1")), roles.size());
        for (const auto& role : roles) {
            auto stored = db.exec(QStringLiteral("SELECT permissions FROM roles WHERE name = ?"), {role.name});
            QVERIFY(stored.ok() && stored->next());
            QStringList permissions;
            for (const auto& value : QJsonDocument::fromJson(stored->value(0).toByteArray()).array()) {
                QVERIFY2(Permissions::all().contains(value.toString()), qPrintable(value.toString()));
                permissions << value.toString();
            }
            permissions.sort();
            QStringList expected = role.permissions;
            expected.sort();
            QCOMPARE(permissions, expected);
        }

        // The three provider types, with their auth and field paths as data.
        auto types = db.exec(QStringLiteral("SELECT name, base_url, auth_header, auth_template, default_headers, "
                                            "usage_paths, model_paths, probe_path, key_query_param, api_format "
                                            "FROM provider_types ORDER BY name"));
        QVERIFY(types.ok());
        QVERIFY(types->next());
        QCOMPARE(types->value(0).toString(), QStringLiteral("anthropic"));
        QCOMPARE(types->value(1).toString(), QStringLiteral("https://api.anthropic.com"));
        QCOMPARE(types->value(2).toString(), QStringLiteral("x-api-key"));
        QCOMPARE(types->value(3).toString(), QStringLiteral("{key}"));
        const auto anthropicHeaders = QJsonDocument::fromJson(types->value(4).toByteArray()).object();
        QCOMPARE(anthropicHeaders.value(QStringLiteral("anthropic-version")).toString(), QStringLiteral("2023-06-01"));
        const auto anthropicUsage = QJsonDocument::fromJson(types->value(5).toByteArray()).object();
        QCOMPARE(anthropicUsage.value(QStringLiteral("cache_write_tokens")).toArray().first().toString(),
                 QStringLiteral("usage.cache_creation_input_tokens"));
        QVERIFY(types->next());
        QCOMPARE(types->value(0).toString(), QStringLiteral("gemini"));
        QCOMPARE(types->value(1).toString(), QStringLiteral("https://generativelanguage.googleapis.com"));
        QCOMPARE(types->value(2).toString(), QStringLiteral("x-goog-api-key"));
        QCOMPARE(types->value(8).toString(), QStringLiteral("key"));
        const auto geminiModel = QJsonDocument::fromJson(types->value(6).toByteArray()).object();
        QCOMPARE(geminiModel.value(QStringLiteral("url")).toString(), QStringLiteral("models/{model}:"));
        QCOMPARE(types->value(7).toString(), QStringLiteral("/v1beta/models"));
        QVERIFY(types->next());
        QCOMPARE(types->value(0).toString(), QStringLiteral("openai"));
        QCOMPARE(types->value(1).toString(), QStringLiteral("https://api.openai.com"));
        QCOMPARE(types->value(2).toString(), QStringLiteral("Authorization"));
        QCOMPARE(types->value(3).toString(), QStringLiteral("Bearer {key}"));
        QVERIFY(types->value(8).isNull());
        const auto openaiUsage = QJsonDocument::fromJson(types->value(5).toByteArray()).object();
        QCOMPARE(openaiUsage.value(QStringLiteral("prompt_tokens")).toArray(),
                 QJsonArray({QStringLiteral("usage.prompt_tokens"), QStringLiteral("usage.input_tokens")}));
        QCOMPARE(types->value(9).toString(), QStringLiteral("openai"));
        QVERIFY(!types->next());

        QVERIFY(scalar(db, QStringLiteral("SELECT COUNT(*) FROM model_pricing WHERE example = 1")) >= 3);
    }

    void rerunIsNoOp_data() { ScratchDatabase::addEngineRows(); }
    void rerunIsNoOp()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        qint64 roles = 0, types = 0, prices = 0;
        {
            Database db(scratch.config());
            QCOMPARE(*Migrator(db).migrate(), latestVersion(db));
            roles = scalar(db, QStringLiteral("SELECT COUNT(*) FROM roles"));
            types = scalar(db, QStringLiteral("SELECT COUNT(*) FROM provider_types"));
            prices = scalar(db, QStringLiteral("SELECT COUNT(*) FROM model_pricing"));
            QCOMPARE(*Migrator(db).migrate(), latestVersion(db));
        }
        Database again(scratch.config()); // as after a restart
        auto version = Migrator(again).migrate();
        QVERIFY2(version.ok(), qPrintable(version.ok() ? QString() : version.error().message));
        QCOMPARE(*version, latestVersion(again));
        QCOMPARE(scalar(again, QStringLiteral("SELECT COUNT(*) FROM schema_version")), latestVersion(again));
        QCOMPARE(scalar(again, QStringLiteral("SELECT COUNT(*) FROM roles")), roles);
        QCOMPARE(scalar(again, QStringLiteral("SELECT COUNT(*) FROM provider_types")), types);
        QCOMPARE(scalar(again, QStringLiteral("SELECT COUNT(*) FROM model_pricing")), prices);
        QCOMPARE(roles, 6);
        QCOMPARE(types, 3);
    }

    void concurrentInstancesMigrateOnce_data() { ScratchDatabase::addEngineRows(); }
    void concurrentInstancesMigrateOnce()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database first(scratch.config());
        Database second(scratch.config());
        Result<int> otherResult(0);
        QScopedPointer<QThread> other(QThread::create([&] { otherResult = Migrator(second).migrate(); }));
        other->start();
        auto result = Migrator(first).migrate();
        QVERIFY(other->wait(30'000));
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
        QVERIFY2(otherResult.ok(), qPrintable(otherResult.ok() ? QString() : otherResult.error().message));
        QCOMPARE(*result, latestVersion(first));
        QCOMPARE(*otherResult, latestVersion(first));
        QCOMPARE(scalar(first, QStringLiteral("SELECT COUNT(*) FROM roles")), 6);
    }

    void newerSchemaIsRefused_data() { ScratchDatabase::addEngineRows(); }
    void newerSchemaIsRefused()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QCOMPARE(*Migrator(db).migrate(), latestVersion(db));
        const int future = latestVersion(db) + 1;
        QVERIFY(
            db.exec(QStringLiteral("INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', 0)"),
                    {future}));
        auto result = Migrator(db).migrate();
        QVERIFY(!result.ok());
        QCOMPARE(result.error().message,
                 QStringLiteral("database schema version %1 is newer than this gatehouse (knows "
                                "up to %2); upgrade gatehouse")
                     .arg(future)
                     .arg(future - 1));
        QCOMPARE(scalar(db, QStringLiteral("SELECT MAX(version) FROM schema_version")), future);
    }

    // Migration 004 copies traces into a table without AUTOINCREMENT on SQLite: the rows and their ids survive, the
    // indexes come back, and new ids follow the old ones.
    void tracesKeepTheirRowsWithoutAutoincrement()
    {
        ScratchDatabase scratch(QStringLiteral("sqlite"));
        QTemporaryDir source;
        const QDir sql(qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/sql"));
        for (const QString& file : {QStringLiteral("001_initial.sql"), QStringLiteral("002_seed.sql"),
                                    QStringLiteral("003_trace_indexes.sql")})
            QVERIFY(QFile::copy(sql.filePath(file), source.filePath(file)));
        Database db(scratch.config());
        QCOMPARE(*Migrator(db, source.path()).migrate(), 3);
        const QString insert = QStringLiteral("INSERT INTO traces (request_id, created_at, method, path, status, "
                                              "success) VALUES (?, ?, 'POST', '/v1/messages', 200, 1)");
        QVERIFY(db.exec(insert, {QStringLiteral("before-1"), 1}).ok());
        QVERIFY(db.exec(insert, {QStringLiteral("before-2"), 2}).ok());
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'traces'")), 1);

        QVERIFY(QFile::copy(sql.filePath(QStringLiteral("004_traces_rowid.sql")),
                            source.filePath(QStringLiteral("004_traces_rowid.sql"))));
        QCOMPARE(*Migrator(db, source.path()).migrate(), 4);
        QVERIFY(db.exec(insert, {QStringLiteral("after"), 3}).ok());
        auto rows = db.exec(QStringLiteral("SELECT id, request_id FROM traces ORDER BY id"));
        QVERIFY(rows.ok());
        QStringList seen;
        while (rows->next())
            seen << QStringLiteral("%1:%2").arg(rows->value(0).toLongLong()).arg(rows->value(1).toString());
        QCOMPARE(seen,
                 (QStringList{QStringLiteral("1:before-1"), QStringLiteral("2:before-2"), QStringLiteral("3:after")}));
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'traces'")), 0);
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND "
                                           "tbl_name = 'traces' AND name LIKE 'traces_%'")),
                 4);
    }

    // Issue 15: types created before their apiFormat implied usage paths recorded 0 tokens; the upgrade gives them
    // their format's paths, the same a new type gets, and leaves set paths alone.
    void typesWithoutPathsTakeTheirFormatsOnUpgrade_data() { ScratchDatabase::addEngineRows(); }
    void typesWithoutPathsTakeTheirFormatsOnUpgrade()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        QTemporaryDir source;
        const QDir sql(qEnvironmentVariable("GATEHOUSE_SOURCE_DIR") + QStringLiteral("/sql"));
        const QStringList files = sql.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 6);
        for (const QString& file : files.mid(0, 5))
            QVERIFY(QFile::copy(sql.filePath(file), source.filePath(file)));
        Database db(scratch.config());
        QCOMPARE(*Migrator(db, source.path()).migrate(), 5);
        const QString insert = QStringLiteral(
            "INSERT INTO provider_types (name, display_name, api_format, base_url, auth_header, usage_paths, "
            "created_at, updated_at) VALUES (?, 'x', ?, 'http://127.0.0.1:8000', 'Authorization', ?, 0, 0)");
        QVERIFY(db.exec(insert, {QStringLiteral("groq"), QStringLiteral("openai"), QStringLiteral("{}")}).ok());
        QVERIFY(db.exec(insert, {QStringLiteral("proxy"), QStringLiteral("anthropic"), QStringLiteral("{}")}).ok());
        const QString own = QStringLiteral(R"({"prompt_tokens":["meta.in"]})");
        QVERIFY(db.exec(insert, {QStringLiteral("own-paths"), QStringLiteral("openai"), own}).ok());

        QVERIFY(QFile::copy(sql.filePath(files.at(5)), source.filePath(files.at(5))));
        QCOMPARE(*Migrator(db, source.path()).migrate(), 6);
        const auto column = [&](const QString& column, const QString& name) {
            auto row = db.exec(QStringLiteral("SELECT %1 FROM provider_types WHERE name = ?").arg(column), {name});
            return row && row->next() ? QJsonDocument::fromJson(row->value(0).toString().toUtf8()).object()
                                      : QJsonObject();
        };
        for (const auto& [name, format] : {std::pair{"groq", "openai"}, std::pair{"proxy", "anthropic"}}) {
            const QJsonObject defaults = ApiFormat::typeDefaults(QLatin1String(format));
            QCOMPARE(column(QStringLiteral("usage_paths"), QLatin1String(name)),
                     defaults.value(QLatin1String("usagePaths")).toObject());
            QCOMPARE(column(QStringLiteral("model_paths"), QLatin1String(name)),
                     defaults.value(QLatin1String("modelPaths")).toObject());
            QCOMPARE(column(QStringLiteral("stream_event_roots"), QLatin1String(name)),
                     defaults.value(QLatin1String("streamEventRoots")).toObject());
        }
        QCOMPARE(column(QStringLiteral("usage_paths"), QStringLiteral("own-paths")),
                 QJsonDocument::fromJson(own.toUtf8()).object());
    }

    void failingMigrationRollsBack_data() { ScratchDatabase::addEngineRows(); }
    void failingMigrationRollsBack()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        QTemporaryDir source;
        writeFile(source.filePath(QStringLiteral("001_first.sql")), "CREATE TABLE first_table (id {{ID}});\n");
        writeFile(source.filePath(QStringLiteral("002_broken.sql")),
                  "CREATE TABLE second_table (id {{ID}}, name TEXT);\n"
                  "INSERT INTO second_table (name) VALUES ('kept?');\n"
                  "INSERT INTO no_such_table VALUES (1);\n");
        Database db(scratch.config());
        auto result = Migrator(db, source.path()).migrate();
        QVERIFY(!result.ok());
        QVERIFY2(result.error().message.startsWith(QLatin1String("migration 002_broken failed: SQL error:")),
                 qPrintable(result.error().message));
        QVERIFY2(result.error().message.contains(QLatin1String("no_such_table")), qPrintable(result.error().message));
        QCOMPARE(*Migrator(db, source.path()).currentVersion(), 1);
        QVERIFY(tableExists(db, QStringLiteral("first_table")));
        QVERIFY(!tableExists(db, QStringLiteral("second_table")));
    }

    void oneActiveGatewayKeyPerUserAndType_data() { ScratchDatabase::addEngineRows(); }
    void oneActiveGatewayKeyPerUserAndType()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QCOMPARE(*Migrator(db).migrate(), latestVersion(db));
        const qint64 alice = addUser(db, QStringLiteral("alice"));
        const qint64 bob = addUser(db, QStringLiteral("bob"));

        QVERIFY(addGatewayKey(db, alice, QStringLiteral("openai"), QStringLiteral("h1")).ok());
        auto second = addGatewayKey(db, alice, QStringLiteral("openai"), QStringLiteral("h2"));
        QVERIFY(!second.ok());
        QVERIFY2(second.error().message.contains(QLatin1String("gateway_keys"), Qt::CaseInsensitive) ||
                     second.error().message.contains(QLatin1String("unique"), Qt::CaseInsensitive),
                 qPrintable(second.error().message));
        // Other provider types, other users and disabled keys do not count.
        QVERIFY(addGatewayKey(db, alice, QStringLiteral("anthropic"), QStringLiteral("h3")).ok());
        QVERIFY(addGatewayKey(db, bob, QStringLiteral("openai"), QStringLiteral("h4")).ok());
        QVERIFY(addGatewayKey(db, alice, QStringLiteral("openai"), QStringLiteral("h5"), 0).ok());
        // After a soft delete the user may hold a new active key.
        QVERIFY(db.exec(QStringLiteral("UPDATE gateway_keys SET deleted_at = 1 WHERE key_hash = 'h1'")).ok());
        QVERIFY(addGatewayKey(db, alice, QStringLiteral("openai"), QStringLiteral("h6")).ok());
        // Enabling the disabled one now would make two.
        QVERIFY(!db.exec(QStringLiteral("UPDATE gateway_keys SET enabled = 1 WHERE key_hash = 'h5'")).ok());
        // Key hashes are unique across all keys, deleted ones included.
        QVERIFY(!addGatewayKey(db, bob, QStringLiteral("gemini"), QStringLiteral("h1")).ok());
    }

    void foreignKeysAndChecksAreEnforced_data() { ScratchDatabase::addEngineRows(); }
    void foreignKeysAndChecksAreEnforced()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QCOMPARE(*Migrator(db).migrate(), latestVersion(db));
        auto orphan = addGatewayKey(db, 9999, QStringLiteral("openai"), QStringLiteral("h"));
        QVERIFY(!orphan.ok());
        QVERIFY2(orphan.error().message.contains(QLatin1String("foreign key"), Qt::CaseInsensitive),
                 qPrintable(orphan.error().message));
        const qint64 alice = addUser(db, QStringLiteral("alice"));
        QVERIFY(addGatewayKey(db, alice, QStringLiteral("openai"), QStringLiteral("h")).ok());
        QVERIFY(!db.exec(QStringLiteral("UPDATE gateway_keys SET strategy = 'random'")).ok());
        QVERIFY(!db.exec(QStringLiteral("DELETE FROM users WHERE id = ?"), {alice}).ok());
        QVERIFY(!db.exec(QStringLiteral("INSERT INTO provider_keys (provider_type_id, name, created_at, updated_at) "
                                        "SELECT id, 'no secret', 0, 0 FROM provider_types WHERE name = 'openai'"))
                     .ok());
    }
};

GATEHOUSE_TEST_MAIN(TestMigrator)
#include "TestMigrator.moc"
