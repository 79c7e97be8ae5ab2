// Times every trace and statistics query on a big traces table and prints each statement's query plan, to check
// that the indexes carry them. Usage:
//     BenchTraceQueries [rows]          SQLite in a temporary directory (default 1,000,000 rows)
//     BenchTraceQueries [rows] --postgresql   a scratch database next to GATEHOUSE_TEST_DATABASE_URL
// Run it from a Release or RelWithDebInfo build.

#include "BenchTraffic.h"
#include "ScratchDatabase.h"

#include "common/Durations.h"
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

bool fail(const QString& what)
{
    std::fprintf(stderr, "%s\n", qPrintable(what));
    return false;
}

// `rows` traces spread evenly over the last 30 days, written by the production TraceWriter.
bool fill(Database& db, int rows, const BenchTraffic& traffic)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    TraceWriter writer(db, TraceWriter::Options{.flushIntervalMs = 20, .retentionDays = 0});
    writer.start();
    const qint64 start = now - 30 * kDayMs;
    const qint64 step = 30 * kDayMs / rows;
    QElapsedTimer timer;
    timer.start();
    quint32 random = 12345;
    for (int i = 0; i < rows; ++i) {
        writer.submit(traffic.trace(random, i, start + i * step));
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

    BenchTraffic traffic;
    if (!traffic.create(db))
        return fail(QStringLiteral("cannot insert users and keys")), 1;
    if (!fill(db, rows, traffic))
        return 1;
    const QList<qint64>& users = traffic.users;
    const QList<qint64>& providerKeys = traffic.providerKeys;

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
