#include "ScratchDatabase.h"
#include "TestRegistry.h"
#include "storage/Database.h"

#include <QSqlDatabase>
#include <QTcpServer>
#include <QTest>
#include <QThread>

namespace {

// Connection names that exist now; per-thread connections show up and go away here.
QSet<QString> connectionNames()
{
    const QStringList names = QSqlDatabase::connectionNames();
    return QSet<QString>(names.begin(), names.end());
}

QString message(const Result<QSqlQuery>& result)
{
    return result.ok() ? QString() : result.error().message;
}

} // namespace

class TestDatabase : public QObject
{
    Q_OBJECT

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); }

    void sqliteUsesWalAndForeignKeys()
    {
        ScratchDatabase scratch(QStringLiteral("sqlite"));
        Database db(scratch.config());
        QVERIFY(db.open().ok());
        QCOMPARE(db.kind(), Database::Kind::Sqlite);
        QCOMPARE(db.kindName(), QStringLiteral("sqlite"));
        QCOMPARE(db.describe(), QStringLiteral("sqlite ") + scratch.config().sqlitePath());
        auto mode = db.exec(QStringLiteral("PRAGMA journal_mode"));
        QVERIFY(mode.ok() && mode->next());
        QCOMPARE(mode->value(0).toString(), QStringLiteral("wal"));
        auto foreignKeys = db.exec(QStringLiteral("PRAGMA foreign_keys"));
        QVERIFY(foreignKeys.ok() && foreignKeys->next());
        QCOMPARE(foreignKeys->value(0).toInt(), 1);
        auto timeout = db.exec(QStringLiteral("PRAGMA busy_timeout"));
        QVERIFY(timeout.ok() && timeout->next());
        QCOMPARE(timeout->value(0).toInt(), 5000);
        QVERIFY(QFile::exists(scratch.config().sqlitePath()));
    }

    void openFailureNamesThePath()
    {
        Config config;
        config.dataDir = QStringLiteral("/nonexistent/gatehouse-data");
        Database db(config);
        auto opened = db.open();
        QVERIFY(!opened.ok());
        QVERIFY2(opened.error().message.startsWith(
                     QStringLiteral("cannot open database at /nonexistent/gatehouse-data/gatehouse.db: ")),
                 qPrintable(opened.error().message));
        // Nothing half-open stays behind, and the next use tries again with the same clear error.
        QVERIFY(!db.exec(QStringLiteral("SELECT 1")).ok());
    }

    void postgresUrlIsParsedAndThePasswordNeverShown_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("description");
        QTest::newRow("postgresql") << "postgresql://alice:s3cret@db.example:6543/gh?sslmode=require"
                                    << "postgresql alice@db.example:6543/gh";
        QTest::newRow("postgres, default port") << "postgres://alice:s3cret@db.example/gh"
                                                << "postgresql alice@db.example:5432/gh";
        QTest::newRow("escaped password") << "postgresql://alice:s3cret%40%2F@db.example/gh"
                                          << "postgresql alice@db.example:5432/gh";
    }

    void postgresUrlIsParsedAndThePasswordNeverShown()
    {
        QFETCH(QString, url);
        QFETCH(QString, description);
        Config config;
        config.databaseUrl = url;
        Database db(config);
        QCOMPARE(db.kind(), Database::Kind::Postgresql);
        QCOMPARE(db.kindName(), QStringLiteral("postgresql"));
        QCOMPARE(db.describe(), description);
    }

    void badUrlsAreRefusedWithoutThePassword_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("message");
        QTest::newRow("other scheme") << "mysql://alice:s3cret@db/gh"
                                      << "invalid database URL 'mysql://alice@db/gh': expected "
                                         "postgresql://user:password@host:port/db";
        QTest::newRow("no database") << "postgresql://alice:s3cret@db.example:5432"
                                     << "invalid database URL 'postgresql://alice@db.example:5432': it needs a host "
                                        "and a database name";
        QTest::newRow("no host") << "postgresql:///gh"
                                 << "invalid database URL 'postgresql:///gh': it needs a host and "
                                    "a database name";
    }

    void badUrlsAreRefusedWithoutThePassword()
    {
        QFETCH(QString, url);
        QFETCH(QString, message);
        Config config;
        config.databaseUrl = url;
        Database db(config);
        auto opened = db.open();
        QVERIFY(!opened.ok());
        QCOMPARE(opened.error().message, message);
    }

    void unreachablePostgresGivesAClearError()
    {
        QTcpServer unused; // a port that is certainly closed once this is gone
        QVERIFY(unused.listen(QHostAddress::LocalHost));
        const quint16 port = unused.serverPort();
        unused.close();
        Config config;
        config.databaseUrl = QStringLiteral("postgresql://alice:s3cret@127.0.0.1:%1/gh").arg(port);
        Database db(config);
        auto opened = db.open();
        QVERIFY(!opened.ok());
        QVERIFY2(opened.error().message.startsWith(
                     QStringLiteral("cannot open database at postgresql alice@127.0.0.1:%1/gh: ").arg(port)),
                 qPrintable(opened.error().message));
        QVERIFY(!opened.error().message.contains(QLatin1String("s3cret")));
    }

    void sqlErrorsCarryTheDriverTextAndStatement_data() { ScratchDatabase::addEngineRows(); }
    void sqlErrorsCarryTheDriverTextAndStatement()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        auto bad = db.exec(QStringLiteral("SELECT name FROM missing_table WHERE id = ?"), {1});
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, QStringLiteral("database"));
        QVERIFY2(bad.error().message.startsWith(QLatin1String("SQL error: ")), qPrintable(bad.error().message));
        QVERIFY2(bad.error().message.contains(QLatin1String("missing_table")), qPrintable(bad.error().message));
        QVERIFY2(bad.error().message.endsWith(QLatin1String("(in: SELECT name FROM missing_table WHERE id = ?)")),
                 qPrintable(bad.error().message));
    }

    void transactionsCommitOrRollBack_data() { ScratchDatabase::addEngineRows(); }
    void transactionsCommitOrRollBack()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QVERIFY(db.exec(QStringLiteral("CREATE TABLE notes (text TEXT NOT NULL, created_at BIGINT NOT NULL)")).ok());
        const auto insert = [&db](const QString& text) {
            return db.exec(QStringLiteral("INSERT INTO notes (text, created_at) VALUES (?, ?)"),
                           {text, Q_INT64_C(1'764'000'000'000)});
        };

        auto committed = db.transaction([&]() -> Result<void> {
            if (auto inserted = insert(QStringLiteral("one")); !inserted)
                return inserted.error();
            if (auto inserted = insert(QStringLiteral("two")); !inserted)
                return inserted.error();
            return {};
        });
        QVERIFY(committed.ok());

        auto failed = db.transaction([&]() -> Result<void> {
            if (auto inserted = insert(QStringLiteral("three")); !inserted)
                return inserted.error();
            return Error::make(QStringLiteral("conflict"), QStringLiteral("changed my mind"));
        });
        QVERIFY(!failed.ok());
        QCOMPARE(failed.error().code, QStringLiteral("conflict"));

        auto brokenStatement = db.transaction([&]() -> Result<void> {
            if (auto inserted = insert(QStringLiteral("four")); !inserted)
                return inserted.error();
            if (auto broken = db.exec(QStringLiteral("INSERT INTO notes (text) VALUES (NULL)")); !broken)
                return broken.error();
            return {};
        });
        QVERIFY(!brokenStatement.ok());
        QCOMPARE(brokenStatement.error().code, QStringLiteral("database"));

        auto rows = db.exec(QStringLiteral("SELECT text, created_at FROM notes ORDER BY text"));
        QVERIFY(rows.ok());
        QStringList texts;
        while (rows->next()) {
            texts << rows->value(0).toString();
            QCOMPARE(rows->value(1).toLongLong(), Q_INT64_C(1'764'000'000'000)); // 64-bit times survive
        }
        QCOMPARE(texts, (QStringList{QStringLiteral("one"), QStringLiteral("two")}));
    }

    // Reads in a snapshot see one moment on PostgreSQL: a row another connection commits in between is not seen
    // until after it. (SQLite reads as it is: Database::snapshot says why.)
    void snapshotReadsOneMoment()
    {
        ScratchDatabase scratch(QStringLiteral("postgresql"));
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database reader(scratch.config());
        Database writer(scratch.config()); // a connection of its own, as another instance's
        QVERIFY(writer.exec(QStringLiteral("CREATE TABLE notes (text TEXT NOT NULL)")).ok());
        const auto count = [&reader]() -> qint64 {
            auto rows = reader.exec(QStringLiteral("SELECT COUNT(*) FROM notes"));
            return rows && rows->next() ? rows->value(0).toLongLong() : -1;
        };
        qint64 before = -1, after = -1;
        auto read = reader.snapshot([&]() -> Result<void> {
            before = count();
            if (auto inserted = writer.exec(QStringLiteral("INSERT INTO notes (text) VALUES ('meanwhile')")); !inserted)
                return inserted.error();
            after = count();
            return {};
        });
        QVERIFY2(read.ok(), read ? "" : qPrintable(read.error().message));
        QCOMPARE(before, 0);
        QCOMPARE(after, 0);
        QCOMPARE(count(), 1);
    }

    void eachThreadGetsItsOwnConnection_data() { ScratchDatabase::addEngineRows(); }
    void eachThreadGetsItsOwnConnection()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QVERIFY(db.exec(QStringLiteral("CREATE TABLE marks (thread TEXT NOT NULL)")).ok());
        const QSet<QString> before = connectionNames();

        QString threadConnection;
        QString threadError;
        QSet<QString> duringThread;
        QScopedPointer<QThread> thread(QThread::create([&] {
            auto own = db.connection();
            if (!own) {
                threadError = own.error().message;
                return;
            }
            threadConnection = own->connectionName();
            if (auto inserted = db.exec(QStringLiteral("INSERT INTO marks (thread) VALUES (?)"), {threadConnection});
                !inserted)
                threadError = inserted.error().message;
            duringThread = connectionNames();
        }));
        thread->start();
        QVERIFY(thread->wait(30'000));
        QVERIFY2(threadError.isEmpty(), qPrintable(threadError));
        QVERIFY(!before.contains(threadConnection));
        QVERIFY(duringThread.contains(threadConnection));
        QVERIFY(db.connection()->connectionName() != threadConnection);

        // The finished thread's connection is closed and gone; what it wrote is visible here.
        QCOMPARE(connectionNames(), before);
        auto marks = db.exec(QStringLiteral("SELECT thread FROM marks"));
        QVERIFY2(marks.ok(), qPrintable(message(marks)));
        QVERIFY(marks->next());
        QCOMPARE(marks->value(0).toString(), threadConnection);
    }

    void lostPostgresConnectionIsReopened()
    {
        ScratchDatabase scratch(QStringLiteral("postgresql"));
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        Database other(scratch.config());
        auto pid = db.exec(QStringLiteral("SELECT pg_backend_pid()"));
        QVERIFY2(pid.ok() && pid->next(), qPrintable(message(pid)));
        QVERIFY(other.exec(QStringLiteral("SELECT pg_terminate_backend(?)"), {pid->value(0)}).ok());
        QVERIFY(!db.exec(QStringLiteral("SELECT 1")).ok()); // this one meets the dead connection
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("lost, reconnecting$")));
        auto again = db.exec(QStringLiteral("SELECT pg_backend_pid()"));
        QVERIFY2(again.ok() && again->next(), qPrintable(message(again)));
        QVERIFY(again->value(0) != pid->value(0));
    }

    void destroyingTheDatabaseRemovesEveryConnection_data() { ScratchDatabase::addEngineRows(); }
    void destroyingTheDatabaseRemovesEveryConnection()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        const QSet<QString> before = connectionNames();
        QThread worker; // outlives the Database: its connection goes with the Database, not with the thread
        worker.start();
        QObject context;
        context.moveToThread(&worker);
        {
            Database db(scratch.config());
            QVERIFY(db.open().ok());
            bool workerOpened = false;
            QMetaObject::invokeMethod(
                &context, [&] { workerOpened = db.exec(QStringLiteral("SELECT 1")).ok(); },
                Qt::BlockingQueuedConnection);
            QVERIFY(workerOpened);
            QCOMPARE(connectionNames().size(), before.size() + 2);
        }
        QCOMPARE(connectionNames(), before);
        worker.quit();
        QVERIFY(worker.wait(30'000));
        QCOMPARE(connectionNames(), before);
    }
};

GATEHOUSE_TEST_MAIN(TestDatabase)
#include "TestDatabase.moc"
