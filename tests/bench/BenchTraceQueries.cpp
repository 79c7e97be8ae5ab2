// Times every trace and statistics query on a big traces table and prints each statement's query plan, to check
// that the indexes carry them. Usage:
//     BenchTraceQueries [rows]          SQLite in a temporary directory (default 1,000,000 rows)
//     BenchTraceQueries [rows] --postgresql   a scratch database next to GATEHOUSE_TEST_DATABASE_URL
// Run it from a Release or RelWithDebInfo build.

#include "ScratchDatabase.h"

#include "crypto/PasswordHasher.h"
#include "crypto/SecretBox.h"
#include "service/StatsService.h"
#include "service/TraceService.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"
#include "storage/Migrator.h"
#include "storage/TraceWriter.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QSqlDriver>
#include <QSqlField>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <functional>

namespace {

constexpr qint64 kDayMs = 24 * 60 * 60 * 1000;
constexpr int kUsers = 50;
constexpr int kProviderKeys = 20;
const QStringList kModels{"gpt-4o",           "gpt-4o-mini",           "o3",
                          "claude-sonnet-4",  "claude-haiku",          "gemini-2.5-pro",
                          "gemini-2.5-flash", "text-embedding-3-small"};

bool fail(const QString& what)
{
    std::fprintf(stderr, "%s\n", qPrintable(what));
    return false;
}

qint64 insertId(Database& db, const QString& sql, const QVariantList& values)
{
    auto query = db.exec(sql + QStringLiteral(" RETURNING id"), values);
    return query && query->next() ? query->value(0).toLongLong() : 0;
}

// Users, keys, and `rows` traces spread evenly over the last 30 days, written by the production TraceWriter.
bool fill(Database& db, int rows, QList<qint64>* userIds, QList<qint64>* gatewayKeyIds, QList<qint64>* providerKeyIds)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int u = 0; u < kUsers; ++u) {
        userIds->append(insertId(db,
                                 QStringLiteral("INSERT INTO users (username, password_hash, role_id, "
                                                "password_changed_at, created_at, updated_at) VALUES (?, 'x', "
                                                "(SELECT id FROM roles WHERE name = 'user'), ?, ?, ?)"),
                                 {QStringLiteral("user%1").arg(u), now, now, now}));
        gatewayKeyIds->append(
            insertId(db,
                     QStringLiteral("INSERT INTO gateway_keys (user_id, provider_type_id, name, "
                                    "key_hash, key_prefix, created_at, updated_at) VALUES (?, 1, ?, "
                                    "?, 'gh-', ?, ?)"),
                     {userIds->last(), QStringLiteral("key %1").arg(u), QStringLiteral("h%1").arg(u), now, now}));
    }
    for (int k = 0; k < kProviderKeys; ++k)
        providerKeyIds->append(insertId(db,
                                        QStringLiteral("INSERT INTO provider_keys (provider_type_id, name, "
                                                       "secret_ciphertext, created_at, updated_at) VALUES (1, ?, ?, ?, "
                                                       "?)"),
                                        {QStringLiteral("pk%1").arg(k), QByteArray("x"), now, now}));
    if (userIds->contains(0) || gatewayKeyIds->contains(0) || providerKeyIds->contains(0))
        return fail(QStringLiteral("cannot insert users and keys"));

    TraceWriter writer(db, TraceWriter::Options{.flushIntervalMs = 20, .retentionDays = 0});
    writer.start();
    const qint64 start = now - 30 * kDayMs;
    const qint64 step = 30 * kDayMs / rows;
    QElapsedTimer timer;
    timer.start();
    quint32 random = 12345;
    const auto next = [&random] { return random = random * 1664525u + 1013904223u; };
    for (int i = 0; i < rows; ++i) {
        TraceRecord r;
        r.requestId = "bench-" + QByteArray::number(i);
        r.createdAtMs = start + i * step;
        const int user = int(next() >> 8) % kUsers;
        r.userId = userIds->at(user);
        r.gatewayKeyId = gatewayKeyIds->at(user);
        r.providerTypeId = 1;
        r.providerKeyId = providerKeyIds->at(int(next() >> 8) % kProviderKeys);
        r.method = "POST";
        r.path = "/v1/chat/completions";
        r.model = kModels.at(int(next() >> 8) % kModels.size());
        const int dice = int(next() >> 8) % 100;
        r.status = dice < 94 ? 200 : dice < 97 ? 429 : 502;
        r.success = r.status == 200;
        r.errorKind = r.success         ? QString()
                      : r.status == 429 ? QStringLiteral("limit")
                                        : QStringLiteral("upstream_status");
        r.tokens.prompt = next() % 4000;
        r.tokens.completion = next() % 1000;
        r.tokens.total = r.tokens.prompt + r.tokens.completion;
        r.costMicros = r.tokens.total * 5;
        r.durationMs = int(next() % 20000);
        r.streamed = next() % 2 == 0;
        r.ttfbMs = r.streamed ? int(next() % 2000) : -1;
        writer.submit(std::move(r));
        // Bounded memory: let the writer catch up every 50,000 rows.
        if (i % 50'000 == 49'999) {
            while (writer.written() + writer.failed() < quint64(i + 1))
                QThread::msleep(5);
        }
    }
    writer.stop();
    std::printf("inserted %d traces in %.1f s (%.0f rows/s) through TraceWriter, %llu failed\n", rows,
                timer.elapsed() / 1000.0, rows * 1000.0 / std::max<qint64>(1, timer.elapsed()), writer.failed());
    if (db.kind() == Database::Kind::Postgresql)
        (void)db.exec(QStringLiteral("ANALYZE traces"));
    else
        (void)db.exec(QStringLiteral("ANALYZE"));
    return writer.failed() == 0;
}

void explain(Database& db, const QString& sql, const QVariantList& values)
{
    const bool sqlite = db.kind() == Database::Kind::Sqlite;
    QString statement = sql;
    QVariantList bound = values;
    if (!sqlite) {
        // PostgreSQL cannot PREPARE an EXPLAIN: put the values in as literals.
        auto connection = db.connection();
        if (!connection)
            return;
        for (const QVariant& value : values) {
            QSqlField field(QStringLiteral("v"), value.metaType());
            field.setValue(value);
            statement.replace(statement.indexOf(u'?'), 1, connection->driver()->formatValue(field));
        }
        bound.clear();
    }
    auto plan =
        db.exec((sqlite ? QStringLiteral("EXPLAIN QUERY PLAN ") : QStringLiteral("EXPLAIN ")) + statement, bound);
    if (!plan) {
        std::printf("    (no plan: %s)\n", qPrintable(plan.error().message));
        return;
    }
    while (plan->next())
        std::printf("    plan: %s\n", qPrintable(plan->value(sqlite ? 3 : 0).toString()));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    const bool postgresql = args.contains(QStringLiteral("--postgresql"));
    int rows = 1'000'000;
    for (const QString& arg : args) {
        if (arg.toInt() > 0)
            rows = arg.toInt();
    }

    ScratchDatabase scratch(postgresql ? QStringLiteral("postgresql") : QStringLiteral("sqlite"));
    if (!scratch.available())
        return fail(scratch.skipped() ? QStringLiteral("set GATEHOUSE_TEST_DATABASE_URL for --postgresql")
                                      : scratch.error()),
               1;
    Database db(scratch.config());
    if (auto migrated = Migrator(db).migrate(); !migrated)
        return fail(migrated.error().message), 1;
    std::printf("database: %s\n", qPrintable(db.describe()));

    QList<qint64> users, gatewayKeys, providerKeys;
    if (!fill(db, rows, &users, &gatewayKeys, &providerKeys))
        return 1;

    SecretBox secrets(SecureBytes(QByteArray(SecretBox::kKeySize, '\x01')));
    const PasswordHasher passwords;
    AuditLog audit(db);
    ServiceContext context{db, secrets, passwords, audit, [] {}, [] { return Result<void>(); }};
    TraceService traces(context);
    StatsService stats(context);
    QList<QPair<QString, QVariantList>> statements;
    const auto observe = [&statements](const QString& sql, const QVariantList& values) {
        statements.append({sql, values});
    };
    traces.setStatementObserver(observe);
    stats.setStatementObserver(observe);

    const Actor admin{1, QStringLiteral("bench"), QStringLiteral("super_admin"), {QStringLiteral("super_admin")}, {}};
    const Actor user{users.at(7),
                     QStringLiteral("user7"),
                     QStringLiteral("user"),
                     {QStringLiteral("logs:own"), QStringLiteral("stats:own")},
                     {}};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    TraceFilter lastDay;
    lastDay.fromMs = now - kDayMs;
    lastDay.toMs = now;
    TraceFilter month;
    month.fromMs = now - 31 * kDayMs;
    month.toMs = now;

    // A cursor half-way down the table, as a client paging deep would hold.
    auto middle = db.exec(QStringLiteral("SELECT created_at, id FROM traces ORDER BY created_at DESC, id DESC LIMIT 1 "
                                         "OFFSET ?"),
                          {rows / 2});
    TraceService::Cursor deep;
    if (middle && middle->next())
        deep = {middle->value(0).toLongLong(), middle->value(1).toLongLong()};

    const auto withFilter = [](TraceFilter filter, const std::function<void(TraceFilter&)>& change) {
        change(filter);
        return filter;
    };
    const QList<QPair<QString, std::function<bool()>>> cases{
        {"traces: first page, no filter", [&] { return traces.list(admin, {}, {}, 50).ok(); }},
        {"traces: page at the middle (cursor)", [&] { return traces.list(admin, {}, deep, 50).ok(); }},
        {"traces: userId",
         [&] {
             return traces.list(admin, withFilter({}, [&](TraceFilter& f) { f.userId = users.at(3); }), {}, 50).ok();
         }},
        {"traces: model + status 5xx",
         [&] {
             return traces
                 .list(admin,
                       withFilter({},
                                  [](TraceFilter& f) {
                                      f.model = "o3";
                                      f.statusClass = 5;
                                  }),
                       {}, 50)
                 .ok();
         }},
        {"traces: success=false (no index)",
         [&] { return traces.list(admin, withFilter({}, [](TraceFilter& f) { f.success = false; }), {}, 50).ok(); }},
        {"traces: logs:own user", [&] { return traces.list(user, {}, {}, 50).ok(); }},
        {"traces: by id", [&] { return traces.get(admin, rows / 3).ok(); }},
        {"overview: last 24 h", [&] { return stats.overview(admin, lastDay).ok(); }},
        {"overview: last 24 h, providerKeyId",
         [&] {
             return stats
                 .overview(admin, withFilter(lastDay, [&](TraceFilter& f) { f.providerKeyId = providerKeys.at(2); }))
                 .ok();
         }},
        {"overview: 30 days (every row)", [&] { return stats.overview(admin, month).ok(); }},
        {"overview: 30 days, stats:own user", [&] { return stats.overview(user, month).ok(); }},
        {"trend: hour, last 24 h", [&] { return stats.trend(admin, lastDay, StatsService::Bucket::Hour).ok(); }},
        {"trend: day, 30 days", [&] { return stats.trend(admin, month, StatsService::Bucket::Day).ok(); }},
        {"models: 30 days", [&] { return stats.models(admin, month).ok(); }},
        {"models: last 24 h", [&] { return stats.models(admin, lastDay).ok(); }},
        {"provider keys: 30 days", [&] { return stats.providerKeys(admin, month).ok(); }},
        {"gateway keys: last 24 h", [&] { return stats.gatewayKeys(admin, lastDay).ok(); }},
    };
    const bool showPlans = !args.contains(QStringLiteral("--no-plans"));
    for (const auto& [name, run] : cases) {
        QList<qint64> times;
        for (int i = 0; i < 3; ++i) {
            statements.clear();
            QElapsedTimer timer;
            timer.start();
            if (!run())
                return fail(QStringLiteral("%1 failed").arg(name)), 1;
            times.append(timer.nsecsElapsed() / 1000);
        }
        std::sort(times.begin(), times.end());
        std::printf("%-40s median %8.1f ms  (min %.1f, max %.1f)\n", qPrintable(name), times.at(1) / 1000.0,
                    times.first() / 1000.0, times.last() / 1000.0);
        if (!showPlans)
            continue;
        QStringList seen;
        for (const auto& [sql, values] : statements) {
            if (seen.contains(sql))
                continue;
            seen.append(sql);
            std::printf("  %s\n", qPrintable(sql.left(160)));
            explain(db, sql, values);
        }
    }
    return 0;
}
