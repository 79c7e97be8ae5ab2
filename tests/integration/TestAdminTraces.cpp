#include "GatewayHarness.h"
#include "HttpTestClient.h"
#include "TestRegistry.h"
#include "TraceSeeder.h"

#include "storage/Database.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QUrlQuery>

#include <algorithm>
#include <functional>

using Header = QPair<QByteArray, QByteArray>;

class TestAdminTraces : public QObject
{
    Q_OBJECT

private:
    static constexpr int kTraceCount = 3000;

    GatewayHarness m_gateway;
    HttpTestClient m_client;
    std::unique_ptr<TraceSeeder> m_seed;
    Header m_admin;
    Header m_alice;
    Header m_robot;

    HttpTestClient::Response get(const QString& pathAndQuery, const Header& auth)
    {
        QList<Header> headers;
        if (!auth.first.isEmpty())
            headers.append(auth);
        return m_client.get(QUrl(m_gateway.adminUrl(QStringLiteral("/")).toString(QUrl::RemovePath) + pathAndQuery),
                            headers);
    }

    static QString iso(qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); }

    // The seeded traces that match, newest first (created_at, then id, descending), as ids.
    QList<qint64> expected(const std::function<bool(const TraceRecord&)>& matches) const
    {
        QList<TraceSeeder::Seeded> rows;
        for (const auto& seeded : m_seed->traces) {
            if (matches(seeded.record))
                rows.append(seeded);
        }
        std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
            return a.record.createdAtMs != b.record.createdAtMs ? a.record.createdAtMs > b.record.createdAtMs
                                                                : a.id > b.id;
        });
        QList<qint64> ids;
        for (const auto& row : rows)
            ids.append(row.id);
        return ids;
    }

    // Every page of a listing, following nextCursor; fails the test on a non-200 answer.
    QList<qint64> walk(const QString& query, const Header& auth, int pageSize, qint64* total)
    {
        QList<qint64> ids;
        QString cursor;
        for (int pages = 0; pages < 10'000; ++pages) {
            QString url = QStringLiteral("/api/traces?pageSize=%1").arg(pageSize);
            if (!query.isEmpty())
                url += QStringLiteral("&") + query;
            if (!cursor.isEmpty())
                url += QStringLiteral("&before=") + cursor;
            const auto response = get(url, auth);
            if (response.status != 200) {
                qWarning("%s -> %d %s", qPrintable(url), response.status, response.body.constData());
                return {};
            }
            const QJsonObject page = response.json().object();
            *total = page[QLatin1String("total")].toInteger();
            const QJsonArray items = page[QLatin1String("items")].toArray();
            if (items.size() > pageSize)
                return {};
            for (const auto& item : items)
                ids.append(item[QLatin1String("id")].toInteger());
            cursor = page[QLatin1String("nextCursor")].toString();
            if (cursor.isEmpty())
                return ids;
        }
        return {};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_gateway.start());
        m_seed = std::make_unique<TraceSeeder>(m_gateway.service());
        QVERIFY(m_seed->seed(kTraceCount));
        m_admin = m_gateway.login();
        m_alice = m_gateway.login(QStringLiteral("alice"), QLatin1String(TraceSeeder::kUserPassword));
        m_robot = m_gateway.login(QStringLiteral("robot"), QLatin1String(TraceSeeder::kUserPassword));
    }

    void everyPageFollowsWithoutGapsOrDuplicates()
    {
        qint64 total = 0;
        const QList<qint64> ids = walk({}, m_admin, 97, &total);
        QCOMPARE(total, qint64(kTraceCount));
        QCOMPARE(ids, expected([](const TraceRecord&) { return true; }));
    }

    void defaultPageIsNewestFifty()
    {
        const auto response = get(QStringLiteral("/api/traces"), m_admin);
        QCOMPARE(response.status, 200);
        const QJsonObject page = response.json().object();
        QCOMPARE(page[QLatin1String("pageSize")].toInt(), 50);
        QCOMPARE(page[QLatin1String("items")].toArray().size(), 50);
        QVERIFY(!page[QLatin1String("nextCursor")].toString().isEmpty());
        QCOMPARE(page[QLatin1String("items")][0][QLatin1String("id")].toInteger(),
                 expected([](const TraceRecord&) { return true; }).first());
    }

    void filtersSelectExactlyTheMatchingTraces_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("filter");
        QTest::newRow("from/to ISO") << QStringLiteral("from={fromIso}&to={toIso}") << 0;
        QTest::newRow("from/to ms") << QStringLiteral("from={fromMs}&to={toMs}") << 0;
        QTest::newRow("gatewayKeyId") << QStringLiteral("gatewayKeyId={aliceKey}") << 1;
        QTest::newRow("providerKeyId") << QStringLiteral("providerKeyId={firstKey}") << 2;
        QTest::newRow("userId") << QStringLiteral("userId={alice}") << 3;
        QTest::newRow("model") << QStringLiteral("model=gpt-4o-mini") << 4;
        QTest::newRow("status exact") << QStringLiteral("status=502") << 5;
        QTest::newRow("status class") << QStringLiteral("status=4xx") << 6;
        QTest::newRow("status 0") << QStringLiteral("status=0") << 7;
        QTest::newRow("success false") << QStringLiteral("success=false") << 8;
        QTest::newRow("success true") << QStringLiteral("success=true") << 9;
        QTest::newRow("errorKind") << QStringLiteral("errorKind=limit") << 10;
        QTest::newRow("combined") << QStringLiteral("userId={alice}&model=gpt-4o&status=4xx&from={fromIso}") << 11;
        QTest::newRow("nothing matches") << QStringLiteral("model=no-such-model") << 12;
    }

    void filtersSelectExactlyTheMatchingTraces()
    {
        QFETCH(QString, query);
        QFETCH(int, filter);
        const qint64 from = m_seed->startMs + 5 * 3600'000 + 123;
        const qint64 to = m_seed->startMs + 11 * 3600'000;
        const TraceSeeder& s = *m_seed;
        const std::function<bool(const TraceRecord&)> filters[] = {
            [&](const TraceRecord& r) { return r.createdAtMs >= from && r.createdAtMs < to; },
            [&](const TraceRecord& r) { return r.gatewayKeyId == s.aliceKeyId; },
            [&](const TraceRecord& r) { return r.providerKeyId == s.firstKeyId; },
            [&](const TraceRecord& r) { return r.userId == s.aliceId; },
            [&](const TraceRecord& r) { return r.model == QLatin1String("gpt-4o-mini"); },
            [&](const TraceRecord& r) { return r.status == 502; },
            [&](const TraceRecord& r) { return r.status >= 400 && r.status < 500; },
            [&](const TraceRecord& r) { return r.status == 0; },
            [&](const TraceRecord& r) { return !r.success; },
            [&](const TraceRecord& r) { return r.success; },
            [&](const TraceRecord& r) { return r.errorKind == QLatin1String("limit"); },
            [&](const TraceRecord& r) {
                return r.userId == s.aliceId && r.model == QLatin1String("gpt-4o") && r.status >= 400 &&
                       r.status < 500 && r.createdAtMs >= from;
            },
            [&](const TraceRecord&) { return false; },
        };
        const QList<QPair<QString, QString>> values{{"{fromIso}", iso(from)},
                                                    {"{toIso}", iso(to)},
                                                    {"{fromMs}", QString::number(from)},
                                                    {"{toMs}", QString::number(to)},
                                                    {"{aliceKey}", QString::number(s.aliceKeyId)},
                                                    {"{firstKey}", QString::number(s.firstKeyId)},
                                                    {"{alice}", QString::number(s.aliceId)}};
        for (const auto& [name, value] : values)
            query.replace(name, value);
        query.replace(u'+', QStringLiteral("%2B"));
        const QList<qint64> want = expected(filters[filter]);
        QVERIFY(!want.isEmpty() || filter == 12);
        qint64 total = -1;
        QCOMPARE(walk(query, m_admin, 200, &total), want);
        QCOMPARE(total, qint64(want.size()));
    }

    void oneTraceByIdHasEveryField()
    {
        const TraceSeeder::Seeded& seeded = m_seed->traces.at(10);
        const auto response = get(QStringLiteral("/api/traces/%1").arg(seeded.id), m_admin);
        QCOMPARE(response.status, 200);
        const QJsonObject trace = response.json().object();
        const TraceRecord& r = seeded.record;
        QCOMPARE(trace[QLatin1String("id")].toInteger(), seeded.id);
        QCOMPARE(trace[QLatin1String("requestId")].toString(), QString::fromLatin1(r.requestId));
        QCOMPARE(trace[QLatin1String("createdAt")].toString(), iso(r.createdAtMs));
        QCOMPARE(trace[QLatin1String("gatewayKeyId")].toInteger(), r.gatewayKeyId);
        QCOMPARE(trace[QLatin1String("providerKeyId")].toInteger(), r.providerKeyId);
        QCOMPARE(trace[QLatin1String("userId")].toInteger(), r.userId);
        QCOMPARE(trace[QLatin1String("model")].toString(), r.model);
        QCOMPARE(trace[QLatin1String("status")].toInt(), r.status);
        QCOMPARE(trace[QLatin1String("success")].toBool(), r.success);
        QCOMPARE(trace[QLatin1String("totalTokens")].toInteger(), r.tokens.total);
        QCOMPARE(trace[QLatin1String("costMicros")].toInteger(), r.costMicros);
        QCOMPARE(trace[QLatin1String("durationMs")].toInt(), r.durationMs);
        QCOMPARE(trace[QLatin1String("ttfbMs")].toInt(), r.ttfbMs);
        QCOMPARE(trace[QLatin1String("streamed")].toBool(), r.streamed);

        const TraceSeeder::Seeded& anonymous = m_seed->traces.at(7); // failed authentication: no ids known
        const QJsonObject failed = get(QStringLiteral("/api/traces/%1").arg(anonymous.id), m_admin).json().object();
        QVERIFY(failed[QLatin1String("gatewayKeyId")].isNull());
        QVERIFY(failed[QLatin1String("model")].isNull());
        QCOMPARE(failed[QLatin1String("errorKind")].toString(), QStringLiteral("auth"));

        QCOMPARE(get(QStringLiteral("/api/traces/999999999"), m_admin).status, 404);
        QCOMPARE(get(QStringLiteral("/api/traces/abc"), m_admin).status, 404);
    }

    void logsOwnSeesOnlyTheCallersTraces()
    {
        const qint64 aliceId = m_seed->aliceId;
        qint64 total = 0;
        QCOMPARE(walk({}, m_alice, 500, &total),
                 expected([aliceId](const TraceRecord& r) { return r.userId == aliceId; }));
        QCOMPARE(total, qint64(kTraceCount / 4));
        // Naming another user narrows to nothing instead of widening.
        QCOMPARE(walk(QStringLiteral("userId=%1").arg(m_seed->adminId), m_alice, 50, &total), QList<qint64>());
        QCOMPARE(total, qint64(0));

        const qint64 own = m_seed->traces.at(0).id;
        const qint64 others = m_seed->traces.at(1).id;
        QCOMPARE(get(QStringLiteral("/api/traces/%1").arg(own), m_alice).status, 200);
        const auto hidden = get(QStringLiteral("/api/traces/%1").arg(others), m_alice);
        QCOMPARE(hidden.status, 404);
        QCOMPARE(hidden.body, get(QStringLiteral("/api/traces/999999999"), m_alice)
                                  .body.replace("999999999", QByteArray::number(others)));
    }

    void noLogsPermissionIsForbiddenAndAudited()
    {
        const auto list = get(QStringLiteral("/api/traces"), m_robot);
        QCOMPARE(list.status, 403);
        QCOMPARE(list.json()[QLatin1String("error")][QLatin1String("code")].toString(), QStringLiteral("forbidden"));
        QCOMPARE(get(QStringLiteral("/api/traces/%1").arg(m_seed->traces.at(0).id), m_robot).status, 403);
        auto audit = m_gateway.service().database().exec(
            QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE action = 'permission.denied' AND actor_user_id = ? "
                           "AND details LIKE '%trace.list%'"),
            {m_seed->apiOnlyId});
        QVERIFY(audit && audit->next());
        QCOMPARE(audit->value(0).toInt(), 1);
        QCOMPARE(get(QStringLiteral("/api/traces"), {}).status, 401);
    }

    void badQueryParametersAreRejected_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("bad time") << QStringLiteral("from=yesterday") << QStringLiteral("'from'");
        QTest::newRow("bad ISO date") << QStringLiteral("to=2026-13-45T00:00:00Z") << QStringLiteral("'to'");
        QTest::newRow("from after to") << QStringLiteral("from=2000&to=1000") << QStringLiteral("'from'");
        QTest::newRow("unknown status class") << QStringLiteral("status=7xx") << QStringLiteral("'status'");
        QTest::newRow("status text") << QStringLiteral("status=ok") << QStringLiteral("'status'");
        QTest::newRow("status out of range") << QStringLiteral("status=999") << QStringLiteral("'status'");
        QTest::newRow("huge pageSize") << QStringLiteral("pageSize=100000") << QStringLiteral("'pageSize'");
        QTest::newRow("zero pageSize") << QStringLiteral("pageSize=0") << QStringLiteral("'pageSize'");
        QTest::newRow("negative id") << QStringLiteral("gatewayKeyId=-3") << QStringLiteral("'gatewayKeyId'");
        QTest::newRow("id text") << QStringLiteral("providerKeyId=abc") << QStringLiteral("'providerKeyId'");
        QTest::newRow("negative user") << QStringLiteral("userId=-1") << QStringLiteral("'userId'");
        QTest::newRow("bad success") << QStringLiteral("success=maybe") << QStringLiteral("'success'");
        QTest::newRow("bad cursor") << QStringLiteral("before=garbage") << QStringLiteral("'before'");
        QTest::newRow("page numbers") << QStringLiteral("page=2") << QStringLiteral("before=");
        QTest::newRow("unknown parameter") << QStringLiteral("sort=-id") << QStringLiteral("'sort'");
        QTest::newRow("repeated parameter") << QStringLiteral("model=a&model=b") << QStringLiteral("more than once");
    }

    void badQueryParametersAreRejected()
    {
        QFETCH(QString, query);
        QFETCH(QString, mentions);
        const auto response = get(QStringLiteral("/api/traces?") + query, m_admin);
        QCOMPARE(response.status, 400);
        QCOMPARE(response.json()[QLatin1String("error")][QLatin1String("code")].toString(),
                 QStringLiteral("invalid_argument"));
        const QString message = response.json()[QLatin1String("error")][QLatin1String("message")].toString();
        QVERIFY2(message.contains(mentions), qPrintable(message));
    }
};

GATEHOUSE_TEST_MAIN(TestAdminTraces)
#include "TestAdminTraces.moc"
