#pragma once

#include "storage/Database.h"
#include "storage/TraceRecord.h"

#include <QDateTime>
#include <QStringList>

// The traffic of the trace benchmarks: by default 50 users with a gateway key each, 20 provider keys, 8 models, 94%
// answered, 3% limited, 3% upstream errors. Each trace draws its user, provider key and model independently: the
// worst case for the statistics rollups (nearly every combination occurs). uniqueModels names a new model in every
// trace, as a client that sends made-up model names does.
class BenchTraffic
{
public:
    int userCount = 50;
    int providerKeyCount = 20;
    bool uniqueModels = false;

    // Creates the users and keys; false when the database refused one.
    bool create(Database& db)
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int u = 0; u < userCount; ++u) {
            users.append(insertId(db,
                                  QStringLiteral("INSERT INTO users (username, password_hash, role_id, "
                                                 "password_changed_at, created_at, updated_at) VALUES (?, 'x', "
                                                 "(SELECT id FROM roles WHERE name = 'user'), ?, ?, ?)"),
                                  {QStringLiteral("user%1").arg(u), now, now, now}));
            gatewayKeys.append(
                insertId(db,
                         QStringLiteral("INSERT INTO gateway_keys (user_id, provider_type_id, name, "
                                        "key_hash, key_prefix, created_at, updated_at) VALUES (?, 1, "
                                        "?, ?, 'gh-', ?, ?)"),
                         {users.last(), QStringLiteral("key %1").arg(u), QStringLiteral("h%1").arg(u), now, now}));
        }
        for (int k = 0; k < providerKeyCount; ++k)
            providerKeys.append(insertId(db,
                                         QStringLiteral("INSERT INTO provider_keys (provider_type_id, name, "
                                                        "secret_ciphertext, created_at, updated_at) VALUES (1, ?, ?, "
                                                        "?, ?)"),
                                         {QStringLiteral("pk%1").arg(k), QByteArray("x"), now, now}));
        return !users.contains(0) && !gatewayKeys.contains(0) && !providerKeys.contains(0);
    }

    // The index-th trace, at createdAtMs; `random` is the caller's generator state.
    TraceRecord trace(quint32& random, qint64 index, qint64 createdAtMs) const
    {
        static const QStringList models{"gpt-4o",           "gpt-4o-mini",           "o3",
                                        "claude-sonnet-4",  "claude-haiku",          "gemini-2.5-pro",
                                        "gemini-2.5-flash", "text-embedding-3-small"};
        const auto next = [&random] { return random = random * 1664525u + 1013904223u; };
        TraceRecord r;
        r.requestId = "bench-" + QByteArray::number(index);
        r.createdAtMs = createdAtMs;
        const int user = int(next() >> 8) % userCount;
        r.userId = users.at(user);
        r.gatewayKeyId = gatewayKeys.at(user);
        r.providerTypeId = 1;
        r.providerKeyId = providerKeys.at(int(next() >> 8) % providerKeyCount);
        r.method = "POST";
        r.path = "/v1/chat/completions";
        r.model = uniqueModels ? QStringLiteral("made-up-%1").arg(index) : models.at(int(next() >> 8) % models.size());
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
        return r;
    }

    QList<qint64> users, gatewayKeys, providerKeys; // gatewayKeys[i] belongs to users[i]

private:
    static qint64 insertId(Database& db, const QString& sql, const QVariantList& values)
    {
        auto query = db.exec(sql + QStringLiteral(" RETURNING id"), values);
        return query && query->next() ? query->value(0).toLongLong() : 0;
    }
};
