#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "ScratchDatabase.h"
#include "TestRegistry.h"
#include "TraceSeeder.h"
#include "storage/StatsRollup.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

using Header = QPair<QByteArray, QByteArray>;
using Match = std::function<bool(const TraceRecord&)>;

// The statistics endpoints against numbers computed here from the seeded traces, on SQLite and (when
// GATEHOUSE_TEST_DATABASE_URL is set) on PostgreSQL.
class TestAdminStats : public QObject
{
    Q_OBJECT

private:
    static constexpr int kTraceCount = 2000;
    static constexpr qint64 kHourMs = 3600'000;
    static constexpr qint64 kDayMs = 24 * kHourMs;

    struct Fixture
    {
        std::unique_ptr<ScratchDatabase> scratch; // outlives the gateway, which closes its connections first
        std::unique_ptr<GatewayHarness> gateway;
        std::unique_ptr<TraceSeeder> seed;
        Header admin, alice, robot;
    };

    std::map<QString, Fixture> m_fixtures;
    HttpTestClient m_client;

    Fixture* fixture(const QString& engine)
    {
        auto found = m_fixtures.find(engine);
        return found == m_fixtures.end() ? nullptr : &found->second;
    }

    bool prepare(const QString& engine)
    {
        Fixture& f = m_fixtures[engine];
        f.scratch = std::make_unique<ScratchDatabase>(engine);
        if (!f.scratch->available()) {
            if (!f.scratch->skipped())
                qWarning("no scratch database: %s", qPrintable(f.scratch->error()));
            m_fixtures.erase(engine);
            return engine == QLatin1String("postgresql") && !qEnvironmentVariableIsSet("GATEHOUSE_TEST_DATABASE_URL");
        }
        const QString url = f.scratch->config().databaseUrl;
        f.gateway = std::make_unique<GatewayHarness>([url](Config& config) { config.databaseUrl = url; });
        if (!f.gateway->start())
            return false;
        f.seed = std::make_unique<TraceSeeder>(f.gateway->service());
        if (!f.seed->seed(kTraceCount))
            return false;
        f.admin = f.gateway->login();
        f.alice = f.gateway->login(QStringLiteral("alice"), QLatin1String(TraceSeeder::kUserPassword));
        f.robot = f.gateway->login(QStringLiteral("robot"), QLatin1String(TraceSeeder::kUserPassword));
        return true;
    }

    QJsonObject get(Fixture& f, const QString& pathAndQuery, const Header& auth, int expectedStatus = 200)
    {
        const QUrl url(f.gateway->adminUrl(QStringLiteral("/")).toString(QUrl::RemovePath) + pathAndQuery);
        const auto response = m_client.get(url, {auth});
        if (response.status != expectedStatus)
            qWarning("%s -> %d %s", qPrintable(pathAndQuery), response.status, response.body.constData());
        return response.status == expectedStatus ? response.json().object() : QJsonObject{{"failed", true}};
    }

    QList<TraceRecord> select(const Fixture& f, const Match& matches) const
    {
        QList<TraceRecord> rows;
        for (const auto& seeded : f.seed->traces) {
            if (matches(seeded.record))
                rows.append(seeded.record);
        }
        return rows;
    }

    // Nearest rank, resolved to the histogram as the API documents it: the upper bound of the bucket holding that
    // value, or the largest value when that is smaller; -1 when there are no values (the API answers null).
    static qint64 percentile(QList<qint64> values, int p)
    {
        if (values.isEmpty())
            return -1;
        std::sort(values.begin(), values.end());
        const qsizetype rank = std::max<qsizetype>(1, (p * values.size() + 99) / 100);
        const qint64 value = values.at(rank - 1);
        const auto& bounds = StatsRollup::kLatencyBoundsMs;
        const auto bound = std::lower_bound(bounds.begin(), bounds.end(), value);
        return bound == bounds.end() ? values.last() : std::min<qint64>(*bound, values.last());
    }

    // Periods cover whole minutes: both ends move up to the next one.
    static qint64 nextMinute(qint64 ms) { return ms % 60'000 == 0 ? ms : ms - ms % 60'000 + 60'000; }

    static double average(qint64 total, qint64 count) { return std::round(double(total) / double(count) * 10.) / 10.; }

private slots:
    void initTestCase()
    {
        QVERIFY(prepare(QStringLiteral("sqlite")));
        QVERIFY(prepare(QStringLiteral("postgresql")));
    }

    void cleanupTestCase()
    {
        for (auto& [engine, f] : m_fixtures)
            f.gateway.reset();
        m_fixtures.clear();
    }

    void overviewMatchesTheTraces_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("filter");
        for (const QString& engine : {QStringLiteral("sqlite"), QStringLiteral("postgresql")}) {
            for (const QString& filter : {QStringLiteral("none"), QStringLiteral("providerKeyId"),
                                          QStringLiteral("gatewayKeyId"), QStringLiteral("model")})
                QTest::addRow("%s %s", qPrintable(engine), qPrintable(filter)) << engine << filter;
        }
    }

    void overviewMatchesTheTraces()
    {
        QFETCH(QString, engine);
        QFETCH(QString, filter);
        Fixture* f = fixture(engine);
        if (!f)
            QSKIP("GATEHOUSE_TEST_DATABASE_URL is not set");
        // Neither end on a whole hour (minute rows there) nor on a whole minute (rounded up: a trace at 2:18:50
        // is left out, one at 20:26:50 counted).
        const qint64 askedFrom = f->seed->startMs + 2 * kHourMs + 18 * 60'000 + 10'017;
        const qint64 askedTo = f->seed->startMs + 20 * kHourMs + 26 * 60'000 + 40'003;
        const qint64 from = nextMinute(askedFrom), to = nextMinute(askedTo);
        QString query = QStringLiteral("from=%1&to=%2").arg(askedFrom).arg(askedTo);
        Match inFilter = [](const TraceRecord&) { return true; };
        const qint64 keyId = f->seed->secondKeyId, gatewayKeyId = f->seed->aliceKeyId;
        if (filter == QLatin1String("providerKeyId")) {
            query += QStringLiteral("&providerKeyId=%1").arg(keyId);
            inFilter = [keyId](const TraceRecord& r) { return r.providerKeyId == keyId; };
        } else if (filter == QLatin1String("gatewayKeyId")) {
            query += QStringLiteral("&gatewayKeyId=%1").arg(gatewayKeyId);
            inFilter = [gatewayKeyId](const TraceRecord& r) { return r.gatewayKeyId == gatewayKeyId; };
        } else if (filter == QLatin1String("model")) {
            query += QStringLiteral("&model=claude-3-5-sonnet");
            inFilter = [](const TraceRecord& r) { return r.model == QLatin1String("claude-3-5-sonnet"); };
        }
        const QList<TraceRecord> rows = select(
            *f, [&](const TraceRecord& r) { return r.createdAtMs >= from && r.createdAtMs < to && inFilter(r); });
        QVERIFY(rows.size() > 100);

        qint64 successes = 0, prompt = 0, completion = 0, total = 0, cacheRead = 0, cacheWrite = 0, cost = 0;
        QMap<QString, qint64> errors;
        QList<qint64> durations, ttfbs;
        for (const TraceRecord& r : rows) {
            successes += r.success;
            prompt += r.tokens.prompt;
            completion += r.tokens.completion;
            total += r.tokens.total;
            cacheRead += r.tokens.cacheRead;
            cacheWrite += r.tokens.cacheWrite;
            cost += r.costMicros;
            if (!r.success)
                ++errors[r.errorKind];
            durations.append(r.durationMs);
            if (r.streamed && r.ttfbMs >= 0)
                ttfbs.append(r.ttfbMs);
        }

        const QJsonObject overview = get(*f, QStringLiteral("/api/stats/overview?") + query, f->admin);
        QCOMPARE(overview[QLatin1String("requests")].toInteger(), qint64(rows.size()));
        QCOMPARE(overview[QLatin1String("successes")].toInteger(), successes);
        QCOMPARE(overview[QLatin1String("errors")].toInteger(), qint64(rows.size()) - successes);
        QCOMPARE(overview[QLatin1String("successRate")].toDouble(), double(successes) / double(rows.size()));
        QJsonObject errorsByKind;
        for (auto it = errors.cbegin(); it != errors.cend(); ++it)
            errorsByKind.insert(it.key(), it.value());
        QCOMPARE(overview[QLatin1String("errorsByKind")].toObject(), errorsByKind);
        const QJsonObject tokens = overview[QLatin1String("tokens")].toObject();
        QCOMPARE(tokens[QLatin1String("prompt")].toInteger(), prompt);
        QCOMPARE(tokens[QLatin1String("completion")].toInteger(), completion);
        QCOMPARE(tokens[QLatin1String("total")].toInteger(), total);
        QCOMPARE(tokens[QLatin1String("cacheRead")].toInteger(), cacheRead);
        QCOMPARE(tokens[QLatin1String("cacheWrite")].toInteger(), cacheWrite);
        QCOMPARE(overview[QLatin1String("cost")][QLatin1String("micros")].toInteger(), cost);
        QCOMPARE(overview[QLatin1String("cost")][QLatin1String("dollars")].toDouble(), double(cost) / 1e6);
        const QJsonObject latency = overview[QLatin1String("latency")].toObject();
        QCOMPARE(latency[QLatin1String("streamedRequests")].toInteger(), qint64(ttfbs.size()));
        for (const int p : {50, 95, 99}) {
            const QString name = QStringLiteral("p%1").arg(p);
            QCOMPARE(latency[QLatin1String("durationMs")][name].toInteger(-1), percentile(durations, p));
            QCOMPARE(latency[QLatin1String("ttfbMs")][name].toInteger(-1), percentile(ttfbs, p));
        }
        QCOMPARE(overview[QLatin1String("period")][QLatin1String("from")].toString(),
                 QDateTime::fromMSecsSinceEpoch(from, Qt::UTC).toString(Qt::ISODateWithMs));
        QCOMPARE(overview[QLatin1String("period")][QLatin1String("to")].toString(),
                 QDateTime::fromMSecsSinceEpoch(to, Qt::UTC).toString(Qt::ISODateWithMs));
    }

    void overviewDefaultsToTheLastDay_data() { ScratchDatabase::addEngineRows(); }

    void overviewDefaultsToTheLastDay()
    {
        QFETCH(QString, engine);
        Fixture* f = fixture(engine);
        if (!f)
            QSKIP("GATEHOUSE_TEST_DATABASE_URL is not set");
        // The seeded traffic ended more than a day ago.
        const QJsonObject overview = get(*f, QStringLiteral("/api/stats/overview"), f->admin);
        QCOMPARE(overview[QLatin1String("requests")].toInteger(), 0);
        QCOMPARE(overview[QLatin1String("successRate")].toDouble(), 0.0);
        QVERIFY(overview[QLatin1String("latency")][QLatin1String("durationMs")][QLatin1String("p50")].isNull());
        const QDateTime to =
            QDateTime::fromString(overview[QLatin1String("period")][QLatin1String("to")].toString(), Qt::ISODateWithMs);
        const QDateTime from = QDateTime::fromString(
            overview[QLatin1String("period")][QLatin1String("from")].toString(), Qt::ISODateWithMs);
        QCOMPARE(from.msecsTo(to), kDayMs);
        QVERIFY(qAbs(to.msecsTo(QDateTime::currentDateTimeUtc())) < 60'000);
    }

    void trendHasEveryBucket_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::addColumn<QString>("bucket");
        for (const QString& engine : {QStringLiteral("sqlite"), QStringLiteral("postgresql")}) {
            QTest::addRow("%s hour", qPrintable(engine)) << engine << QStringLiteral("hour");
            QTest::addRow("%s day", qPrintable(engine)) << engine << QStringLiteral("day");
        }
    }

    void trendHasEveryBucket()
    {
        QFETCH(QString, engine);
        QFETCH(QString, bucket);
        Fixture* f = fixture(engine);
        if (!f)
            QSKIP("GATEHOUSE_TEST_DATABASE_URL is not set");
        const qint64 size = bucket == QLatin1String("hour") ? kHourMs : kDayMs;
        const qint64 from = f->seed->startMs + 30 * 60'000; // mid-hour: the first bucket starts at the hour
        const qint64 to = f->seed->startMs + 40 * kHourMs;
        const QJsonObject trend =
            get(*f, QStringLiteral("/api/stats/trend?bucket=%1&from=%2&to=%3").arg(bucket).arg(from).arg(to), f->admin);
        const QJsonArray items = trend[QLatin1String("items")].toArray();
        const qint64 first = from - from % size;
        QCOMPARE(qint64(items.size()), (to - first + size - 1) / size);
        qint64 requestsSeen = 0;
        for (qsizetype i = 0; i < items.size(); ++i) {
            const qint64 start = first + i * size;
            const QJsonObject item = items.at(i).toObject();
            QCOMPARE(item[QLatin1String("start")].toString(),
                     QDateTime::fromMSecsSinceEpoch(start, Qt::UTC).toString(Qt::ISODateWithMs));
            const QList<TraceRecord> rows = select(*f, [&](const TraceRecord& r) {
                return r.createdAtMs >= std::max(from, start) && r.createdAtMs < std::min(to, start + size);
            });
            qint64 errors = 0, tokens = 0, cost = 0, duration = 0;
            for (const TraceRecord& r : rows) {
                errors += !r.success;
                tokens += r.tokens.total;
                cost += r.costMicros;
                duration += r.durationMs;
            }
            QCOMPARE(item[QLatin1String("requests")].toInteger(), qint64(rows.size()));
            QCOMPARE(item[QLatin1String("errors")].toInteger(), errors);
            QCOMPARE(item[QLatin1String("tokens")].toInteger(), tokens);
            QCOMPARE(item[QLatin1String("costMicros")].toInteger(), cost);
            if (rows.isEmpty())
                QVERIFY(item[QLatin1String("avgDurationMs")].isNull());
            else
                QCOMPARE(item[QLatin1String("avgDurationMs")].toDouble(), average(duration, rows.size()));
            requestsSeen += rows.size();
        }
        QVERIFY(requestsSeen > 1000);
    }

    void modelSharesAddUp_data() { ScratchDatabase::addEngineRows(); }

    void modelSharesAddUp()
    {
        QFETCH(QString, engine);
        Fixture* f = fixture(engine);
        if (!f)
            QSKIP("GATEHOUSE_TEST_DATABASE_URL is not set");
        const qint64 from = f->seed->startMs, to = f->seed->startMs + 48 * kHourMs;
        const QJsonArray items = get(*f, QStringLiteral("/api/stats/models?from=%1&to=%2").arg(from).arg(to),
                                     f->admin)[QLatin1String("items")]
                                     .toArray();
        QStringList models = TraceSeeder::models();
        models.append(QString()); // failed authentication: no model
        QCOMPARE(items.size(), models.size());
        qint64 previous = std::numeric_limits<qint64>::max();
        for (const auto& value : items) {
            const QJsonObject item = value.toObject();
            const QString model = item[QLatin1String("model")].toString();
            QVERIFY(models.contains(model));
            QCOMPARE(item[QLatin1String("model")].isNull(), model.isEmpty());
            const QList<TraceRecord> rows = select(*f, [&](const TraceRecord& r) { return r.model == model; });
            qint64 tokens = 0, cost = 0, allTokens = 0, allCost = 0;
            for (const TraceRecord& r : rows) {
                tokens += r.tokens.total;
                cost += r.costMicros;
            }
            for (const auto& seeded : f->seed->traces) {
                allTokens += seeded.record.tokens.total;
                allCost += seeded.record.costMicros;
            }
            QCOMPARE(item[QLatin1String("requests")].toInteger(), qint64(rows.size()));
            QCOMPARE(item[QLatin1String("tokens")].toInteger(), tokens);
            QCOMPARE(item[QLatin1String("costMicros")].toInteger(), cost);
            QCOMPARE(item[QLatin1String("requestShare")].toDouble(), double(rows.size()) / kTraceCount);
            QCOMPARE(item[QLatin1String("tokenShare")].toDouble(), double(tokens) / double(allTokens));
            QCOMPARE(item[QLatin1String("costShare")].toDouble(), double(cost) / double(allCost));
            QVERIFY(rows.size() <= previous); // biggest first
            previous = rows.size();
        }
    }

    void perKeyNumbersNameDeletedKeys_data() { ScratchDatabase::addEngineRows(); }

    void perKeyNumbersNameDeletedKeys()
    {
        QFETCH(QString, engine);
        Fixture* f = fixture(engine);
        if (!f)
            QSKIP("GATEHOUSE_TEST_DATABASE_URL is not set");
        const TraceSeeder& s = *f->seed;
        const QString period = QStringLiteral("from=%1&to=%2").arg(s.startMs).arg(s.startMs + 48 * kHourMs);
        struct Expected
        {
            QJsonValue id;
            QJsonValue name;
            bool deleted;
            std::function<qint64(const TraceRecord&)> key;
        };
        const auto check = [&](const QString& path, const QList<Expected>& keys) {
            const QJsonArray items = get(*f, path + u'?' + period, f->admin)[QLatin1String("items")].toArray();
            QCOMPARE(items.size(), keys.size());
            for (const Expected& key : keys) {
                const auto found = std::find_if(items.begin(), items.end(), [&](const QJsonValue& item) {
                    return item[QLatin1String("id")].isNull() == key.id.isNull() &&
                           item[QLatin1String("id")].toInteger() == key.id.toInteger();
                });
                QVERIFY2(found != items.end(), qPrintable(key.name.toString()));
                const QJsonObject item = found->toObject();
                const QList<TraceRecord> rows = select(
                    *f, [&](const TraceRecord& r) { return key.key(r) == (key.id.isNull() ? 0 : key.id.toInteger()); });
                qint64 successes = 0, tokens = 0;
                for (const TraceRecord& r : rows) {
                    successes += r.success;
                    tokens += r.tokens.total;
                }
                QCOMPARE(item[QLatin1String("name")], key.name);
                QCOMPARE(item[QLatin1String("deleted")].toBool(), key.deleted);
                QCOMPARE(item[QLatin1String("requests")].toInteger(), qint64(rows.size()));
                QCOMPARE(item[QLatin1String("successes")].toInteger(), successes);
                QCOMPARE(item[QLatin1String("tokens")].toInteger(), tokens);
            }
        };
        const auto providerKey = [](const TraceRecord& r) { return r.providerKeyId; };
        check(QStringLiteral("/api/stats/provider-keys"), {{s.firstKeyId, QStringLiteral("first"), false, providerKey},
                                                           {s.secondKeyId, QStringLiteral("second"), true, providerKey},
                                                           {QJsonValue(), QJsonValue(), false, providerKey}});
        if (QTest::currentTestFailed())
            return;
        const auto gatewayKey = [](const TraceRecord& r) { return r.gatewayKeyId; };
        check(QStringLiteral("/api/stats/gateway-keys"),
              {{s.adminKeyId, QStringLiteral("admin key"), false, gatewayKey},
               {s.aliceKeyId, QStringLiteral("alice key"), false, gatewayKey},
               {QJsonValue(), QJsonValue(), false, gatewayKey}});
        const QJsonArray gatewayKeys =
            get(*f, QStringLiteral("/api/stats/gateway-keys?") + period, f->admin)[QLatin1String("items")].toArray();
        for (const auto& item : gatewayKeys) {
            if (item[QLatin1String("id")].toInteger() == s.aliceKeyId) {
                QCOMPARE(item[QLatin1String("keyPrefix")].toString(), QStringLiteral("gh-alice"));
                QCOMPARE(item[QLatin1String("userId")].toInteger(), s.aliceId);
            }
        }
    }

    void statsOwnCoversOnlyTheCallersTraffic_data() { ScratchDatabase::addEngineRows(); }

    void statsOwnCoversOnlyTheCallersTraffic()
    {
        QFETCH(QString, engine);
        Fixture* f = fixture(engine);
        if (!f)
            QSKIP("GATEHOUSE_TEST_DATABASE_URL is not set");
        const TraceSeeder& s = *f->seed;
        const QString period = QStringLiteral("from=%1&to=%2").arg(s.startMs).arg(s.startMs + 48 * kHourMs);
        const qint64 aliceId = s.aliceId;
        const QList<TraceRecord> own = select(*f, [aliceId](const TraceRecord& r) { return r.userId == aliceId; });
        const QJsonObject overview = get(*f, QStringLiteral("/api/stats/overview?") + period, f->alice);
        QCOMPARE(overview[QLatin1String("requests")].toInteger(), qint64(own.size()));
        const QJsonArray keys =
            get(*f, QStringLiteral("/api/stats/gateway-keys?") + period, f->alice)[QLatin1String("items")].toArray();
        QCOMPARE(keys.size(), qsizetype(1));
        QCOMPARE(keys.at(0)[QLatin1String("id")].toInteger(), s.aliceKeyId);
        // Another user's key as a filter shows nothing of theirs.
        const QJsonObject others =
            get(*f, QStringLiteral("/api/stats/overview?gatewayKeyId=%1&").arg(s.adminKeyId) + period, f->alice);
        QCOMPARE(others[QLatin1String("requests")].toInteger(), 0);

        for (const QString& path : {QStringLiteral("overview"), QStringLiteral("trend"), QStringLiteral("models"),
                                    QStringLiteral("provider-keys"), QStringLiteral("gateway-keys")}) {
            const QJsonObject denied = get(*f, QStringLiteral("/api/stats/") + path, f->robot, 403);
            QCOMPARE(denied[QLatin1String("error")][QLatin1String("code")].toString(), QStringLiteral("forbidden"));
        }
    }

    // Every answer names the period it covers, rounded up to whole minutes; one that rounds to nothing is empty.
    void periodsAreWholeMinutes()
    {
        Fixture* f = fixture(QStringLiteral("sqlite"));
        QVERIFY(f);
        const qint64 from = f->seed->startMs + 17, to = f->seed->startMs + 2 * kHourMs + 30'000;
        const auto iso = [](qint64 ms) {
            return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
        };
        for (const QString& path : {QStringLiteral("overview"), QStringLiteral("trend"), QStringLiteral("models"),
                                    QStringLiteral("provider-keys"), QStringLiteral("gateway-keys")}) {
            const QJsonObject answer =
                get(*f, QStringLiteral("/api/stats/%1?from=%2&to=%3").arg(path).arg(from).arg(to), f->admin);
            QCOMPARE(answer[QLatin1String("period")][QLatin1String("from")].toString(), iso(nextMinute(from)));
            QCOMPARE(answer[QLatin1String("period")][QLatin1String("to")].toString(), iso(nextMinute(to)));
        }
        const QJsonObject within = get(*f, QStringLiteral("/api/stats/overview?from=5000&to=5001"), f->admin);
        QCOMPARE(within[QLatin1String("requests")].toInteger(-1), 0);
        QCOMPARE(within[QLatin1String("period")][QLatin1String("to")].toString(), iso(60'000));
        const QJsonObject models = get(*f, QStringLiteral("/api/stats/models?from=5000&to=5001"), f->admin);
        QCOMPARE(models[QLatin1String("items")].toArray().size(), 0);
    }

    void badQueryParametersAreRejected_data()
    {
        QTest::addColumn<QString>("pathAndQuery");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("bad from") << QStringLiteral("/api/stats/overview?from=last-week") << QStringLiteral("'from'");
        QTest::newRow("empty period") << QStringLiteral("/api/stats/overview?from=5000&to=5000")
                                      << QStringLiteral("earlier");
        QTest::newRow("unknown bucket") << QStringLiteral("/api/stats/trend?bucket=week") << QStringLiteral("'bucket'");
        QTest::newRow("too many buckets")
            << QStringLiteral("/api/stats/trend?bucket=hour&from=0&to=86400000000") << QStringLiteral("bucket=day");
        QTest::newRow("negative key") << QStringLiteral("/api/stats/provider-keys?providerKeyId=-2")
                                      << QStringLiteral("'providerKeyId'");
        QTest::newRow("unknown parameter")
            << QStringLiteral("/api/stats/models?status=500") << QStringLiteral("'status'");
    }

    void badQueryParametersAreRejected()
    {
        QFETCH(QString, pathAndQuery);
        QFETCH(QString, mentions);
        Fixture* f = fixture(QStringLiteral("sqlite"));
        QVERIFY(f);
        const QJsonObject error = get(*f, pathAndQuery, f->admin, 400)[QLatin1String("error")].toObject();
        QCOMPARE(error[QLatin1String("code")].toString(), QStringLiteral("invalid_argument"));
        QVERIFY2(error[QLatin1String("message")].toString().contains(mentions),
                 qPrintable(error[QLatin1String("message")].toString()));
    }
};

GATEHOUSE_TEST_MAIN(TestAdminStats)
#include "TestAdminStats.moc"
