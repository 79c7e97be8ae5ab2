#include "TraceSeeder.h"

#include "app/GatewayService.h"
#include "storage/Database.h"
#include "storage/TraceWriter.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QSqlQuery>
#include <QTest>

qint64 TraceSeeder::insert(const QString& sql, const QVariantList& values)
{
    auto query = m_service.database().exec(sql + QStringLiteral(" RETURNING id"), values);
    if (!query || !query->next()) {
        qWarning("seeding failed: %s", query ? "no id returned" : qPrintable(query.error().message));
        return 0;
    }
    return query->value(0).toLongLong();
}

TraceRecord TraceSeeder::make(int i) const
{
    TraceRecord r;
    r.requestId = "req-" + QByteArray::number(i);
    r.createdAtMs = startMs + qint64(i / 3) * 170'000;
    const bool alice = i % 4 == 0;
    const bool authFailed = i % 50 == 7;
    r.userId = authFailed ? 0 : (alice ? aliceId : adminId);
    r.gatewayKeyId = authFailed ? 0 : (alice ? aliceKeyId : adminKeyId);
    r.providerTypeId = authFailed ? 0 : 1;
    r.providerKeyId = authFailed ? 0 : (i % 3 == 0 ? firstKeyId : secondKeyId);
    r.method = "POST";
    r.path = "/v1/chat/completions";
    r.model = authFailed ? QString() : models().at((i / 7) % 3);
    r.streamed = i % 2 == 0;
    r.durationMs = (i * 37) % 1000 + 1;
    r.ttfbMs = r.streamed && i % 10 != 4 ? (i * 13) % 300 + 1 : -1;
    r.clientAddress = QStringLiteral("127.0.0.1");
    if (authFailed) {
        r.status = 401;
        r.errorKind = QStringLiteral("auth");
        r.errorMessage = QStringLiteral("unknown gateway key");
    } else if (i % 97 == 0) {
        r.status = 0;
        r.errorKind = QStringLiteral("client_gone");
    } else if (i % 10 == 3) {
        r.status = 502;
        r.errorKind = QStringLiteral("upstream_status");
    } else if (i % 10 == 6) {
        r.status = 429;
        r.errorKind = QStringLiteral("limit");
    } else {
        r.status = 200;
        r.success = true;
        r.tokens.prompt = i % 100;
        r.tokens.completion = i % 50;
        r.tokens.total = r.tokens.prompt + r.tokens.completion;
        r.tokens.cacheRead = i % 7;
        r.tokens.cacheWrite = i % 3;
        r.costMicros = r.tokens.total * 3;
    }
    return r;
}

bool TraceSeeder::seed(int count)
{
    Database& db = m_service.database();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto admin = db.exec(QStringLiteral("SELECT id FROM users WHERE username = 'admin'"));
    if (!admin || !admin->next()) {
        qWarning("no admin user to seed traces for");
        return false;
    }
    adminId = admin->value(0).toLongLong();
    admin->finish(); // an unfinished SELECT keeps SQLite's read snapshot: the writer's rows would stay unseen
    const QString hash = m_service.passwords().hash(QLatin1String(kUserPassword));
    const QString userSql = QStringLiteral(
        "INSERT INTO users (username, password_hash, role_id, password_changed_at, created_at, updated_at) "
        "VALUES (?, ?, (SELECT id FROM roles WHERE name = ?), ?, ?, ?)");
    aliceId = insert(userSql, {QStringLiteral("alice"), hash, QStringLiteral("user"), now - 1000, now, now});
    apiOnlyId = insert(userSql, {QStringLiteral("robot"), hash, QStringLiteral("api_only"), now - 1000, now, now});
    const QString providerKeySql = QStringLiteral(
        "INSERT INTO provider_keys (provider_type_id, name, secret_ciphertext, created_at, updated_at, deleted_at) "
        "VALUES (1, ?, ?, ?, ?, ?)");
    firstKeyId = insert(providerKeySql, {QStringLiteral("first"), QByteArray("sealed"), now, now, QVariant()});
    secondKeyId = insert(providerKeySql, {QStringLiteral("second"), QByteArray("sealed"), now, now, now});
    const QString gatewayKeySql = QStringLiteral(
        "INSERT INTO gateway_keys (user_id, provider_type_id, name, key_hash, key_prefix, created_at, updated_at) "
        "VALUES (?, 1, ?, ?, ?, ?, ?)");
    adminKeyId = insert(gatewayKeySql, {adminId, QStringLiteral("admin key"), QStringLiteral("hash-a"),
                                        QStringLiteral("gh-admin"), now, now});
    aliceKeyId = insert(gatewayKeySql, {aliceId, QStringLiteral("alice key"), QStringLiteral("hash-b"),
                                        QStringLiteral("gh-alice"), now, now});
    if (!aliceId || !apiOnlyId || !firstKeyId || !secondKeyId || !adminKeyId || !aliceKeyId) {
        qWarning("cannot seed users and keys");
        return false;
    }

    const qint64 hour = 60 * 60 * 1000;
    startMs = (now - 72 * hour) - (now - 72 * hour) % hour;
    TraceWriter& writer = m_service.traces();
    const quint64 before = writer.written();
    for (int i = 0; i < count; ++i) {
        traces.append({make(i), 0});
        writer.submit(traces.last().record);
    }
    QDeadlineTimer deadline(20'000);
    while (writer.written() < before + quint64(count) && !deadline.hasExpired())
        QTest::qWait(20);
    if (writer.written() < before + quint64(count)) {
        qWarning("the trace writer wrote %llu of %d traces", writer.written() - before, count);
        return false;
    }
    // The writer inserts in submission order, so ids ascend with the index.
    auto ids = db.exec(QStringLiteral("SELECT id FROM traces ORDER BY id"));
    if (!ids) {
        qWarning("cannot read trace ids: %s", qPrintable(ids.error().message));
        return false;
    }
    for (Seeded& seeded : traces) {
        if (!ids->next()) {
            qWarning("fewer trace rows than traces submitted");
            return false;
        }
        seeded.id = ids->value(0).toLongLong();
    }
    return true;
}
