#include "ScratchDatabase.h"
#include "TestRegistry.h"
#include "common/Durations.h"
#include "storage/ColumnArrays.h"
#include "storage/Database.h"
#include "storage/Migrator.h"
#include "storage/TraceWriter.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

namespace {

qint64 count(Database& db, const QString& where = QStringLiteral("1 = 1"))
{
    auto query = db.exec(QStringLiteral("SELECT COUNT(*) FROM traces WHERE ") + where);
    return query && query->next() ? query->value(0).toLongLong() : -1;
}

TraceRecord failedAuth(const QByteArray& requestId, qint64 createdAtMs)
{
    TraceRecord r;
    r.requestId = requestId;
    r.createdAtMs = createdAtMs;
    r.method = "POST";
    r.path = "/v1/messages";
    r.status = 401;
    r.errorKind = QStringLiteral("auth");
    r.errorMessage = QStringLiteral("unknown gateway key");
    r.clientAddress = QStringLiteral("::1");
    return r;
}

} // namespace

class TestTraceWriter : public QObject
{
    Q_OBJECT

private slots:
    void everyFieldIsStored_data() { ScratchDatabase::addEngineRows(); }
    void everyFieldIsStored()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QVERIFY(Migrator(db).migrate().ok());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();

        TraceRecord full;
        full.requestId = "req-full";
        full.createdAtMs = now;
        full.method = "POST";
        // Text as the provider or the client named it: not only ASCII, not always UTF-8, and even a NUL, which
        // PostgreSQL text cannot hold (it would fail the whole batch, and every trace after it).
        full.path = QByteArray("/v1/chat/completions/\xff\0x", 24);
        full.model = QStringLiteral("gpt-4o-mini \u00e9") + QChar(0) + QStringLiteral("x");
        full.status = 200;
        full.success = true;
        full.tokens.prompt = 12;
        full.tokens.completion = 3;
        full.tokens.total = 15;
        full.tokens.cacheRead = 4;
        full.tokens.cacheWrite = 5;
        full.costMicros = 1234;
        full.durationMs = 87;
        full.ttfbMs = 21;
        full.retries = 2;
        full.streamed = true;
        full.clientAddress = QStringLiteral("127.0.0.1");

        TraceWriter writer(db, {});
        writer.start();
        writer.submit(full);
        writer.submit(failedAuth("req-auth", now + 1));
        // What array literals and SQL quoting must carry through (PostgreSQL gets a batch as one array per column).
        TraceRecord quoted = failedAuth("req-\"quoted\"", now + 2);
        quoted.model = QStringLiteral("NULL");
        const QString tricky = QStringLiteral("say \"hi\" \\ {a,b} 'q' ,NULL, \\\" \u00e9 \u2028");
        quoted.errorMessage = tricky;
        writer.submit(quoted);
        writer.stop(); // writes what is queued
        QCOMPARE(writer.written(), quint64(3));

        auto rows = db.exec(QStringLiteral("SELECT * FROM traces ORDER BY created_at"));
        QVERIFY(rows.ok());
        QVERIFY(rows->next());
        const QSqlRecord first = rows->record();
        QCOMPARE(first.value(QStringLiteral("request_id")).toString(), QStringLiteral("req-full"));
        QCOMPARE(first.value(QStringLiteral("created_at")).toLongLong(), now);
        QCOMPARE(first.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));
        QCOMPARE(first.value(QStringLiteral("path")).toString(), QStringLiteral("/v1/chat/completions/") +
                                                                     QChar(QChar::ReplacementCharacter) +
                                                                     QChar(QChar::ReplacementCharacter) + u'x');
        QCOMPARE(first.value(QStringLiteral("model")).toString(),
                 QStringLiteral("gpt-4o-mini \u00e9") + QChar(QChar::ReplacementCharacter) + QStringLiteral("x"));
        QCOMPARE(first.value(QStringLiteral("status")).toInt(), 200);
        QCOMPARE(first.value(QStringLiteral("success")).toInt(), 1);
        QVERIFY(first.value(QStringLiteral("error_kind")).isNull());
        QVERIFY(first.value(QStringLiteral("error_message")).isNull());
        QCOMPARE(first.value(QStringLiteral("prompt_tokens")).toLongLong(), 12);
        QCOMPARE(first.value(QStringLiteral("completion_tokens")).toLongLong(), 3);
        QCOMPARE(first.value(QStringLiteral("total_tokens")).toLongLong(), 15);
        QCOMPARE(first.value(QStringLiteral("cache_read_tokens")).toLongLong(), 4);
        QCOMPARE(first.value(QStringLiteral("cache_write_tokens")).toLongLong(), 5);
        QCOMPARE(first.value(QStringLiteral("cost_micros")).toLongLong(), 1234);
        QCOMPARE(first.value(QStringLiteral("duration_ms")).toInt(), 87);
        QCOMPARE(first.value(QStringLiteral("ttfb_ms")).toInt(), 21);
        QCOMPARE(first.value(QStringLiteral("retries")).toInt(), 2);
        QCOMPARE(first.value(QStringLiteral("streamed")).toInt(), 1);
        QCOMPARE(first.value(QStringLiteral("client_address")).toString(), QStringLiteral("127.0.0.1"));

        QVERIFY(rows->next());
        const QSqlRecord second = rows->record();
        QCOMPARE(second.value(QStringLiteral("request_id")).toString(), QStringLiteral("req-auth"));
        QCOMPARE(second.value(QStringLiteral("status")).toInt(), 401);
        QCOMPARE(second.value(QStringLiteral("success")).toInt(), 0);
        QCOMPARE(second.value(QStringLiteral("error_kind")).toString(), QStringLiteral("auth"));
        QCOMPARE(second.value(QStringLiteral("error_message")).toString(), QStringLiteral("unknown gateway key"));
        for (const char* unknown :
             {"gateway_key_id", "user_id", "provider_type_id", "provider_key_id", "model", "ttfb_ms"})
            QVERIFY2(second.value(QString::fromLatin1(unknown)).isNull(), unknown);
        QVERIFY(rows->next());
        const QSqlRecord third = rows->record();
        QCOMPARE(third.value(QStringLiteral("request_id")).toString(), QStringLiteral("req-\"quoted\""));
        QCOMPARE(third.value(QStringLiteral("model")).toString(), QStringLiteral("NULL"));
        QCOMPARE(third.value(QStringLiteral("error_message")).toString(), tricky);
        QVERIFY(!rows->next());

        // The rollups keep the model as a name, not as NULL.
        auto models =
            db.exec(QStringLiteral("SELECT model, requests FROM stats_hour WHERE breakdown = 3 ORDER BY model"));
        QVERIFY(models.ok());
        QStringList counted;
        while (models->next())
            counted << models->value(0).toString() + QLatin1Char('=') + models->value(1).toString();
        counted.sort(); // here, not in SQL: PostgreSQL's order depends on the database's collation
        QCOMPARE(counted, (QStringList{QStringLiteral("=1"), QStringLiteral("NULL=1"),
                                       QStringLiteral("gpt-4o-mini \u00e9\ufffdx=1")}));
    }

    // A batch of many rows is written whole, in order, each row with its own values: more rows, and rollup rows (a
    // minute and a model each), than one PostgreSQL statement takes (ColumnArrays::kMaxRows).
    void largeBatchIsWrittenWhole_data() { ScratchDatabase::addEngineRows(); }
    void largeBatchIsWrittenWhole()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QVERIFY(Migrator(db).migrate().ok());
        TraceWriter writer(db, {.flushIntervalMs = 60'000, .flushRows = 0, .retentionDays = 0}); // one batch, by stop()
        const int count = int(ColumnArrays::kMaxRows) * 2 + 7;
        const qint64 start = QDateTime::currentMSecsSinceEpoch() - count * kMinuteMs;
        writer.start();
        for (int i = 0; i < count; ++i) {
            TraceRecord record = failedAuth("req-" + QByteArray::number(i), start + i * kMinuteMs);
            record.tokens.prompt = i;
            record.model = QStringLiteral("model-%1").arg(i);
            writer.submit(record);
        }
        writer.stop();
        QCOMPARE(writer.written(), quint64(count));
        auto rows = db.exec(QStringLiteral("SELECT request_id, created_at, prompt_tokens FROM traces ORDER BY id"));
        QVERIFY(rows.ok());
        for (int i = 0; i < count; ++i) {
            QVERIFY(rows->next());
            QCOMPARE(rows->value(0).toString(), QStringLiteral("req-%1").arg(i));
            QCOMPARE(rows->value(1).toLongLong(), start + i * kMinuteMs);
            QCOMPARE(rows->value(2).toLongLong(), i);
        }
        QVERIFY(!rows->next());
        auto models = db.exec(QStringLiteral("SELECT COUNT(*), SUM(requests) FROM stats_minute WHERE breakdown = 3"));
        QVERIFY(models.ok() && models->next());
        QCOMPARE(models->value(0).toInt(), count);
        QCOMPARE(models->value(1).toInt(), count);
    }

    // The model names the rollups keep apart outlive the batch that brought them, whose traces the writer frees: the
    // same names in a later batch of that hour still count as kept, each on its own row.
    void modelNamesKeptApartOutliveTheirBatch_data() { ScratchDatabase::addEngineRows(); }
    void modelNamesKeptApartOutliveTheirBatch()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QVERIFY(Migrator(db).migrate().ok());
        const int names = RollupModels::kNamesPerHour;
        TraceWriter writer(db, {.flushIntervalMs = 60'000, .flushRows = names, .retentionDays = 0});
        const qint64 hour = QDateTime::currentMSecsSinceEpoch() / kHourMs * kHourMs;
        writer.start();
        for (int batch = 1; batch <= 2; ++batch) {
            for (int i = 0; i < names; ++i) {
                TraceRecord record = failedAuth("req-" + QByteArray::number(i), hour + batch);
                record.status = 200;
                record.success = true;
                record.errorKind.clear();
                record.model = QStringLiteral("model-%1").arg(i);
                writer.submit(std::move(record));
            }
            QTRY_COMPARE(writer.written(), quint64(batch * names));
        }
        writer.stop();
        auto models = db.exec(QStringLiteral("SELECT COUNT(*), MIN(requests), MAX(requests), "
                                             "SUM(CASE WHEN model = '' THEN 1 ELSE 0 END) FROM stats_hour WHERE "
                                             "breakdown = 3"));
        QVERIFY(models.ok() && models->next());
        QCOMPARE(models->value(0).toInt(), names);
        QCOMPARE(models->value(1).toInt(), 2);
        QCOMPARE(models->value(2).toInt(), 2);
        QCOMPARE(models->value(3).toInt(), 0); // none rolled up without its name
    }

    // Under load a batch is written as soon as it is full, not only when the timer fires, so that the writer's bursts
    // stay short; what does not fill a batch waits for the timer (or the stop).
    void aFullBatchIsWrittenAtOnce()
    {
        ScratchDatabase scratch(QStringLiteral("sqlite"));
        Database db(scratch.config());
        QVERIFY(Migrator(db).migrate().ok());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        TraceWriter writer(db, {.flushIntervalMs = 60'000, .flushRows = 50, .retentionDays = 0});
        writer.start();
        for (int i = 0; i < 50; ++i)
            writer.submit(failedAuth("batch-" + QByteArray::number(i), now + i));
        QTRY_COMPARE(writer.written(), quint64(50)); // long before the 60 s timer
        for (int i = 50; i < 70; ++i)
            writer.submit(failedAuth("batch-" + QByteArray::number(i), now + i));
        QCOMPARE(writer.queued(), qint64(20));
        writer.stop();
        QCOMPARE(writer.written(), quint64(70));
    }

    // A database that cannot keep up must neither grow the memory nor make a worker wait: beyond maxQueued waiting
    // traces, submit() drops and counts; what was queued is still written.
    void aFullQueueDropsAndCounts()
    {
        ScratchDatabase scratch(QStringLiteral("sqlite"));
        Database db(scratch.config());
        QVERIFY(Migrator(db).migrate().ok());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        TraceWriter writer(db, {.flushIntervalMs = 60'000, .retentionDays = 0, .maxQueued = 3});
        writer.start();
        for (int i = 0; i < 5; ++i)
            writer.submit(failedAuth("full-" + QByteArray::number(i), now + i));
        QCOMPARE(writer.dropped(), quint64(2));
        writer.stop();
        QCOMPARE(writer.written(), quint64(3));
        auto rows = db.exec(QStringLiteral("SELECT COUNT(*) FROM traces"));
        QVERIFY(rows && rows->next());
        QCOMPARE(rows->value(0).toInt(), 3);
    }

    // While the database refuses traces (here a trigger; in production a disk full, a PostgreSQL restart), the rows
    // stay with the writer and go in, oldest first, with the rows that came meanwhile, once it accepts them again.
    void refusedTracesAreKeptAndWrittenLater_data() { ScratchDatabase::addEngineRows(); }
    void refusedTracesAreKeptAndWrittenLater()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QVERIFY(Migrator(db).migrate().ok());
        const bool sqlite = db.kind() == Database::Kind::Sqlite;
        const QStringList refuse =
            sqlite ? QStringList{QStringLiteral("CREATE TRIGGER refuse BEFORE INSERT ON traces "
                                                "BEGIN SELECT RAISE(ABORT, 'down for maintenance'); END")}
                   : QStringList{QStringLiteral("CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                                                "'BEGIN RAISE EXCEPTION ''down for maintenance''; END'"),
                                 QStringLiteral("CREATE TRIGGER refuse BEFORE INSERT ON traces "
                                                "FOR EACH ROW EXECUTE FUNCTION refuse()")};
        for (const QString& statement : refuse)
            QVERIFY2(db.exec(statement).ok(), qPrintable(statement));

        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        TraceWriter writer(db, {.flushIntervalMs = 20, .retentionDays = 0});
        writer.start();
        writer.submit(failedAuth("first", now));
        writer.submit(failedAuth("second", now + 1));
        QTRY_VERIFY(writer.refusedBatches() >= 2); // tried, refused, kept, tried again
        writer.submit(failedAuth("third", now + 2));
        QTRY_VERIFY(writer.refusedBatches() >= 4);
        QCOMPARE(count(db), 0);
        QCOMPARE(writer.written(), quint64(0));

        const QString allow =
            sqlite ? QStringLiteral("DROP TRIGGER refuse") : QStringLiteral("DROP TRIGGER refuse ON traces");
        QVERIFY(db.exec(allow).ok());
        QTRY_COMPARE(count(db), 3);
        writer.stop();
        QCOMPARE(writer.written(), quint64(3));
        QCOMPARE(writer.failed(), quint64(0));
        auto rows = db.exec(QStringLiteral("SELECT request_id FROM traces ORDER BY id"));
        QVERIFY(rows.ok());
        QStringList order;
        while (rows->next())
            order << rows->value(0).toString();
        QCOMPARE(order, (QStringList{QStringLiteral("first"), QStringLiteral("second"), QStringLiteral("third")}));
    }

    void tracesPastTheRetentionArePurged_data() { ScratchDatabase::addEngineRows(); }
    void tracesPastTheRetentionArePurged()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QVERIFY(Migrator(db).migrate().ok());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        {
            TraceWriter seed(db, {.flushIntervalMs = 100, .retentionDays = 0}); // keeps everything
            seed.start();
            seed.submit(failedAuth("old-1", now - 31 * kDayMs));
            seed.submit(failedAuth("old-2", now - 45 * kDayMs));
            seed.submit(failedAuth("recent", now - 29 * kDayMs));
            seed.stop();
            QCOMPARE(count(db), 3);
        }

        // A writer with a retention purges in the background, from its first flush on, and keeps writing.
        TraceWriter writer(db, {.flushIntervalMs = 20, .retentionDays = 30});
        writer.start();
        QTRY_COMPARE(count(db), 1);
        QCOMPARE(count(db, QStringLiteral("request_id = 'recent'")), 1);
        writer.submit(failedAuth("new", now));
        QTRY_COMPARE(count(db), 2);
        writer.stop();
        QCOMPARE(writer.purgeOlderThan(now - now % kHourMs + kHourMs), 2); // counts what it deleted
        QCOMPARE(count(db), 0);
    }
};

GATEHOUSE_TEST_MAIN(TestTraceWriter)
#include "TestTraceWriter.moc"
