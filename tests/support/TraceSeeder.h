#pragma once

#include "storage/TraceRecord.h"

#include <QList>
#include <QString>

class GatewayService;

// Fills a running gateway's database with known users, keys and traces for the observability tests, and keeps
// what it wrote so tests can compute the expected answers themselves.
//
// The traffic: `count` traces over 48 hours starting on an hour boundary, three per millisecond (cursor ties).
// Every fourth trace is alice's (role user, gateway key aliceKey), the rest the admin's (adminKey); every 50th
// (i % 50 == 7) failed authentication before any key was known. Provider key "second" is soft-deleted.
class TraceSeeder
{
public:
    static constexpr const char* kUserPassword = "alice-password-1234";

    struct Seeded
    {
        TraceRecord record;
        qint64 id = 0;
    };

    explicit TraceSeeder(GatewayService& service) : m_service(service) {}

    // False (with a warning) when a row could not be written or the trace writer did not catch up.
    bool seed(int count);

    qint64 adminId = 0;
    qint64 aliceId = 0;
    qint64 apiOnlyId = 0; // a user of role api_only: no logs or stats permission
    qint64 firstKeyId = 0;
    qint64 secondKeyId = 0; // soft-deleted
    qint64 adminKeyId = 0;
    qint64 aliceKeyId = 0;
    qint64 startMs = 0;
    QList<Seeded> traces; // in insertion order

    static QStringList models()
    {
        return {QStringLiteral("gpt-4o"), QStringLiteral("gpt-4o-mini"), QStringLiteral("claude-3-5-sonnet")};
    }

private:
    qint64 insert(const QString& sql, const QVariantList& values);
    TraceRecord make(int i) const;

    GatewayService& m_service;
};
