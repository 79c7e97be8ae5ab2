#include "ScratchDatabase.h"
#include "TestRegistry.h"
#include "common/Durations.h"
#include "storage/Database.h"
#include "storage/Migrator.h"
#include "storage/RollupModels.h"
#include "storage/StatsRollup.h"
#include "storage/TraceWriter.h"

#include <QDateTime>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

namespace {

qint64 insertId(Database& db, const QString& sql, const QVariantList& values)
{
    auto query = db.exec(sql + QStringLiteral(" RETURNING id"), values);
    return query && query->next() ? query->value(0).toLongLong() : 0;
}

qint64 scalar(Database& db, const QString& sql, const QVariantList& values = {})
{
    auto query = db.exec(sql, values);
    return query && query->next() ? query->value(0).toLongLong() : -1;
}

// Every row of a rollup table in key order, each as its values in text (one comparison for both engines).
QStringList rowsOf(Database& db, const QString& table)
{
    QStringList rows;
    auto query = db.exec(QStringLiteral("SELECT * FROM %1 ORDER BY breakdown, bucket_start, user_id, "
                                        "gateway_key_id, provider_key_id, model, error_kind")
                             .arg(table));
    if (!query)
        return {query.error().message};
    const QSqlRecord columns = query->record();
    while (query->next()) {
        QStringList values;
        for (int i = 0; i < columns.count(); ++i)
            values << columns.fieldName(i) + u'=' + query->value(i).toString();
        rows << values.join(u' ');
    }
    return rows;
}

struct Keys
{
    QList<qint64> users, gatewayKeys, providerKeys; // gatewayKeys[i] belongs to users[i]
};

Keys makeKeys(Database& db)
{
    Keys keys;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < 3; ++i) {
        keys.users << insertId(db,
                               QStringLiteral("INSERT INTO users (username, password_hash, role_id, "
                                              "password_changed_at, created_at, updated_at) VALUES (?, 'x', (SELECT "
                                              "id FROM roles WHERE name = 'user'), ?, ?, ?)"),
                               {QStringLiteral("user%1").arg(i), now, now, now});
        keys.gatewayKeys << insertId(
            db,
            QStringLiteral("INSERT INTO gateway_keys (user_id, provider_type_id, name, "
                           "key_hash, key_prefix, created_at, updated_at) VALUES (?, 1, ?, "
                           "?, 'gh-', ?, ?)"),
            {keys.users.last(), QStringLiteral("key %1").arg(i), QStringLiteral("h%1").arg(i), now, now});
        keys.providerKeys << insertId(db,
                                      QStringLiteral("INSERT INTO provider_keys (provider_type_id, name, "
                                                     "secret_ciphertext, created_at, updated_at) VALUES (1, ?, ?, ?, "
                                                     "?)"),
                                      {QStringLiteral("pk%1").arg(i), QByteArray("x"), now, now});
    }
    return keys;
}

// Traffic as a gateway sees it, and what it does not expect: unknown keys (failed authentication), errors of every
// kind, streams without a first byte, durations past the last histogram bound, models longer than any real one or
// holding a NUL. Times fall over three hours, out of order (the writer gets late traces of earlier minutes).
TraceRecord randomTrace(QRandomGenerator& random, const Keys& keys, qint64 startMs, int index)
{
    TraceRecord r;
    r.requestId = "rollup-" + QByteArray::number(index);
    r.createdAtMs = startMs + qint64(random.bounded(3 * 3600)) * 1000 + random.bounded(1000);
    r.method = "POST";
    r.path = "/v1/chat/completions";
    const int who = random.bounded(keys.users.size() + 1); // the last: not known
    if (who < keys.users.size()) {
        r.userId = keys.users.at(who);
        r.gatewayKeyId = keys.gatewayKeys.at(who);
        r.providerTypeId = 1;
        if (random.bounded(10) != 0)
            r.providerKeyId = keys.providerKeys.at(random.bounded(keys.providerKeys.size()));
    }
    // Two names that store the same text (a lone surrogate is stored as '?') must become one rollup row; a cut at
    // the length limit must not split the pair of an emoji.
    static const QStringList models{QStringLiteral("gpt-4o"),
                                    QStringLiteral("claude-sonnet-4"),
                                    QString(),
                                    QString(300, u'm'),
                                    QStringLiteral("nul") + QChar(0) + QStringLiteral("model"),
                                    QStringLiteral("a") + QChar(0xD800) + QStringLiteral("b"),
                                    QStringLiteral("a?b"),
                                    QString::fromUtf8("mod\u00e8le \U0001F600"),
                                    QString(StatsRollup::kMaxModelChars - 1, u'e') + QString::fromUtf8("\U0001F600")};
    r.model = models.at(random.bounded(models.size()));
    static const QStringList kinds{QStringLiteral("limit"), QStringLiteral("upstream_status"),
                                   QStringLiteral("stream_cut"), QStringLiteral("client_gone")};
    const int dice = random.bounded(100);
    r.success = dice < 80;
    r.status = r.success ? 200 : dice < 90 ? 429 : 502;
    if (!r.success)
        r.errorKind = kinds.at(random.bounded(kinds.size()));
    if (who == keys.users.size()) {
        r.success = false;
        r.status = 401;
        r.errorKind = QStringLiteral("auth");
    }
    r.tokens.prompt = random.bounded(5000);
    r.tokens.completion = random.bounded(2000);
    r.tokens.total = r.tokens.prompt + r.tokens.completion;
    r.tokens.cacheRead = random.bounded(100);
    r.tokens.cacheWrite = random.bounded(10);
    r.costMicros = r.tokens.total * 3;
    r.durationMs = random.bounded(50) == 0 ? 300'000 + random.bounded(600'000) : random.bounded(20'000);
    r.streamed = random.bounded(2) == 0;
    r.ttfbMs = r.streamed && random.bounded(5) != 0 ? random.bounded(4000) : -1;
    return r;
}

// `trace` with the bucket, keys, model and outcome of `other`, so that it adds to the same rollup rows: a run of such
// traces, as one busy client sends, takes the writer's path that reuses the rows of the trace before.
void sameRowsAs(TraceRecord& trace, const TraceRecord& other)
{
    trace.createdAtMs = other.createdAtMs;
    trace.userId = other.userId;
    trace.gatewayKeyId = other.gatewayKeyId;
    trace.providerTypeId = other.providerTypeId;
    trace.providerKeyId = other.providerKeyId;
    trace.model = other.model;
    trace.success = other.success;
    trace.status = other.status;
    trace.errorKind = other.errorKind;
}

} // namespace

// The rollups the trace writer keeps, against the traces they summarize.
class TestStatsRollup : public QObject
{
    Q_OBJECT

private slots:
    // The writer's rollups of random traffic, written in many batches, equal the rollups that the migration's SQL
    // computes from the stored traces: two independent definitions, in C++ and in SQL, of the same sums.
    void writerAgreesWithTheMigrationsSql_data() { ScratchDatabase::addEngineRows(); }
    void writerAgreesWithTheMigrationsSql()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QVERIFY(Migrator(db).migrate().ok());
        const Keys keys = makeKeys(db);
        QVERIFY(!keys.users.contains(0) && !keys.providerKeys.contains(0));

        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("random seed %u", seed);
        QRandomGenerator random(seed);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 start = now - 4 * kHourMs;
        constexpr int kTraces = 3000;
        {
            TraceWriter writer(db, {.flushIntervalMs = 10, .flushRows = 97, .retentionDays = 0});
            writer.start();
            TraceRecord previous;
            for (int i = 0; i < kTraces; ++i) {
                TraceRecord trace = randomTrace(random, keys, start, i);
                if (i > 0 && random.bounded(2) == 0)
                    sameRowsAs(trace, previous);
                previous = trace;
                writer.submit(std::move(trace));
            }
            writer.stop();
            QCOMPARE(writer.written(), quint64(kTraces));
        }
        QCOMPARE(scalar(db, QStringLiteral("SELECT SUM(requests) FROM stats_hour WHERE breakdown = 0")), kTraces);
        QCOMPARE(scalar(db, QStringLiteral("SELECT SUM(requests) FROM stats_minute WHERE breakdown = 4")), kTraces);
        QCOMPARE(scalar(db, QStringLiteral("SELECT MAX(LENGTH(model)) FROM traces")), StatsRollup::kMaxModelChars);

        const QStringList minutes = rowsOf(db, QStringLiteral("stats_minute"));
        const QStringList hours = rowsOf(db, QStringLiteral("stats_hour"));
        QVERIFY(minutes.size() > 1000);
        QVERIFY(hours.size() > 50);

        // The migration's own statements rebuild both tables from the traces.
        QFile file(QStringLiteral(":/sql/013_stats_rollups.sql"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(db.exec(QStringLiteral("DELETE FROM stats_minute")).ok());
        QVERIFY(db.exec(QStringLiteral("DELETE FROM stats_hour")).ok());
        int rebuilt = 0;
        for (const QString& statement : Migrator::statements(QString::fromUtf8(file.readAll()), db.kind(), now)) {
            if (!statement.startsWith(QLatin1String("INSERT")))
                continue;
            auto done = db.exec(statement);
            QVERIFY2(done.ok(), qPrintable(done ? QString() : done.error().message));
            ++rebuilt;
        }
        QCOMPARE(rebuilt, 6);
        const QStringList fromSqlMinutes = rowsOf(db, QStringLiteral("stats_minute"));
        const QStringList fromSqlHours = rowsOf(db, QStringLiteral("stats_hour"));
        QCOMPARE(fromSqlMinutes.size(), minutes.size());
        for (qsizetype i = 0; i < minutes.size(); ++i)
            QCOMPARE(minutes.at(i), fromSqlMinutes.at(i));
        QCOMPARE(fromSqlHours, hours);
    }

    // Two writers (two gateway instances sharing one database) adding to the same rows at once: no batch refused
    // (PostgreSQL would abort one of two transactions that lock the same rows in opposite orders), no count lost.
    void concurrentWritersAddUp_data() { ScratchDatabase::addEngineRows(); }
    void concurrentWritersAddUp()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database first(scratch.config()), second(scratch.config());
        QVERIFY(Migrator(first).migrate().ok());
        const Keys keys = makeKeys(first);
        QRandomGenerator random(7);
        const qint64 start = QDateTime::currentMSecsSinceEpoch() - 4 * kHourMs;
        constexpr int kEach = 2000;
        TraceWriter one(first, {.flushIntervalMs = 5, .flushRows = 50, .retentionDays = 0});
        TraceWriter two(second, {.flushIntervalMs = 5, .flushRows = 50, .retentionDays = 0});
        one.start();
        two.start();
        for (int i = 0; i < kEach; ++i) {
            one.submit(randomTrace(random, keys, start, i));
            two.submit(randomTrace(random, keys, start, kEach + i));
        }
        one.stop();
        two.stop();
        QCOMPARE(one.refusedBatches() + two.refusedBatches(), 0ULL);
        QCOMPARE(one.written() + two.written(), quint64(2 * kEach));
        for (const QString& table : {QStringLiteral("stats_minute"), QStringLiteral("stats_hour")}) {
            for (int breakdown = StatsRollup::Total; breakdown <= StatsRollup::Full; ++breakdown)
                QCOMPARE(scalar(first, QStringLiteral("SELECT SUM(requests) FROM %1 WHERE breakdown = ?").arg(table),
                                {breakdown}),
                         2 * kEach);
        }
        QCOMPARE(scalar(first, QStringLiteral("SELECT SUM(total_tokens) FROM stats_hour WHERE breakdown = 4")),
                 scalar(first, QStringLiteral("SELECT SUM(total_tokens) FROM traces")));
    }

    // A client that names a new made-up model in every request (the provider refuses each; the trace keeps the name
    // it sent): past RollupModels::kNamesFromFailuresPerHour such names in an hour the rest roll up without a model,
    // instead of adding rows for each, while models that answer keep their own rows up to kNamesPerHour. A name that
    // had its rows keeps them, the counts still add up to the traces, and the next hour counts names again.
    void madeUpModelsPastTheBoundShareOneRow_data() { ScratchDatabase::addEngineRows(); }
    void madeUpModelsPastTheBoundShareOneRow()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QVERIFY(Migrator(db).migrate().ok());
        const Keys keys = makeKeys(db);
        const qint64 user = keys.users.at(0), gatewayKey = keys.gatewayKeys.at(0);
        const qint64 providerKey = keys.providerKeys.at(0);
        const qint64 hour = QDateTime::currentMSecsSinceEpoch() / kHourMs * kHourMs - 3 * kHourMs;
        qint64 at = hour;
        const auto trace = [=, &at](const QString& model, bool answered, qint64 when = -1) {
            TraceRecord r;
            r.createdAtMs = when >= 0 ? when : at++;
            r.requestId = "made-up-" + QByteArray::number(r.createdAtMs);
            r.userId = user;
            r.gatewayKeyId = gatewayKey;
            r.providerTypeId = 1;
            r.providerKeyId = providerKey;
            r.method = "POST";
            r.path = "/v1/chat/completions";
            r.model = model;
            r.status = answered ? 200 : 404;
            r.success = answered;
            r.errorKind = answered ? QString() : QStringLiteral("upstream_status");
            r.durationMs = 20;
            return r;
        };
        constexpr int kFromFailures = RollupModels::kNamesFromFailuresPerHour;
        constexpr int kPast = 30;
        // gpt-4o, the made-up names kept apart, then the models that answer until the hour is full
        constexpr int kAnswering = RollupModels::kNamesPerHour - 1 - kFromFailures;
        int traces = 0;
        {
            TraceWriter writer(db, {.flushIntervalMs = 10, .flushRows = 64, .retentionDays = 0});
            writer.start();
            const auto submit = [&](TraceRecord record) {
                writer.submit(std::move(record));
                ++traces;
            };
            submit(trace(QStringLiteral("gpt-4o"), true));
            for (int i = 1; i <= kFromFailures + kPast; ++i)
                submit(trace(QStringLiteral("made-up-%1").arg(i), false));
            for (int i = 1; i <= kAnswering; ++i) // made-up names did not crowd them out
                submit(trace(QStringLiteral("answering-%1").arg(i), true));
            submit(trace(QStringLiteral("gpt-4o"), false));                      // had its rows: keeps them
            submit(trace(QStringLiteral("made-up-1"), false));                   // so did this one
            submit(trace(QStringLiteral("one-too-many"), true));                 // first seen once the hour is full
            submit(trace(QStringLiteral("made-up-999"), false, hour + kHourMs)); // the next hour
            writer.stop();
            QCOMPARE(writer.written(), quint64(traces));
        }
        const QString modelsIn = QStringLiteral("SELECT COUNT(DISTINCT model) FROM %1 WHERE breakdown = ? AND "
                                                "bucket_start >= ? AND bucket_start < ? AND model <> ''");
        const QString requestsOf =
            QStringLiteral("SELECT COALESCE(SUM(requests), 0) FROM %1 WHERE breakdown = ? AND model = ?");
        for (const QString& table : {QStringLiteral("stats_minute"), QStringLiteral("stats_hour")}) {
            for (const int breakdown : {StatsRollup::Model, StatsRollup::Full}) {
                QCOMPARE(scalar(db, modelsIn.arg(table), {breakdown, hour, hour + kHourMs}),
                         RollupModels::kNamesPerHour);
                QCOMPARE(scalar(db, requestsOf.arg(table), {breakdown, QStringLiteral("")}), kPast + 1);
                QCOMPARE(scalar(db, requestsOf.arg(table), {breakdown, QStringLiteral("gpt-4o")}), 2);
                QCOMPARE(scalar(db, requestsOf.arg(table), {breakdown, QStringLiteral("made-up-1")}), 2);
                QCOMPARE(
                    scalar(db, requestsOf.arg(table), {breakdown, QStringLiteral("made-up-%1").arg(kFromFailures)}), 1);
                QCOMPARE(
                    scalar(db, requestsOf.arg(table), {breakdown, QStringLiteral("made-up-%1").arg(kFromFailures + 1)}),
                    0);
                QCOMPARE(scalar(db, requestsOf.arg(table), {breakdown, QStringLiteral("answering-%1").arg(kAnswering)}),
                         1);
                QCOMPARE(scalar(db, requestsOf.arg(table), {breakdown, QStringLiteral("one-too-many")}), 0);
                QCOMPARE(scalar(db, requestsOf.arg(table), {breakdown, QStringLiteral("made-up-999")}), 1);
                QCOMPARE(scalar(db, QStringLiteral("SELECT SUM(requests) FROM %1 WHERE breakdown = ?").arg(table),
                                {breakdown}),
                         traces);
            }
        }
        // The traces keep every name.
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(*) FROM traces WHERE model = 'one-too-many'")), 1);
        QCOMPARE(scalar(db, QStringLiteral("SELECT COUNT(DISTINCT model) FROM traces")),
                 1 + kFromFailures + kPast + kAnswering + 2);
    }

    // The purge takes the rollups of the hours it empties, so what is left still adds up to the traces left.
    void purgeKeepsRollupsAndTracesInStep_data() { ScratchDatabase::addEngineRows(); }
    void purgeKeepsRollupsAndTracesInStep()
    {
        QFETCH(QString, engine);
        ScratchDatabase scratch(engine);
        REQUIRE_SCRATCH_DATABASE(scratch);
        Database db(scratch.config());
        QVERIFY(Migrator(db).migrate().ok());
        const Keys keys = makeKeys(db);
        QRandomGenerator random(11);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 start = now - 4 * kHourMs;
        TraceWriter writer(db, {.flushIntervalMs = 10, .retentionDays = 0});
        writer.start();
        for (int i = 0; i < 1000; ++i)
            writer.submit(randomTrace(random, keys, start, i));
        QTRY_COMPARE(writer.written(), 1000ULL);

        const qint64 cutoff = start - start % kHourMs + 2 * kHourMs; // a whole hour, as the hourly purge uses
        const qint64 kept = scalar(db, QStringLiteral("SELECT COUNT(*) FROM traces WHERE created_at >= ?"), {cutoff});
        QVERIFY(kept > 100 && kept < 900);
        // Any cut-off within that hour cuts at the hour.
        QCOMPARE(writer.purgeOlderThan(cutoff + 17 * kMinuteMs + 5), 1000 - kept);
        QCOMPARE(scalar(db, QStringLiteral("SELECT SUM(requests) FROM stats_hour WHERE breakdown = 0")), kept);
        QCOMPARE(scalar(db, QStringLiteral("SELECT SUM(requests) FROM stats_minute WHERE breakdown = 3")), kept);
        QVERIFY(scalar(db, QStringLiteral("SELECT MIN(bucket_start) FROM stats_minute")) >= cutoff);
        QVERIFY(scalar(db, QStringLiteral("SELECT MIN(bucket_start) FROM stats_hour")) >= cutoff);
        writer.stop();
    }
};

GATEHOUSE_TEST_MAIN(TestStatsRollup)
#include "TestStatsRollup.moc"
