#pragma once

#include "cache/RedisConnection.h"

#include <QTest>
#include <QUuid>

#include <optional>

// Sends one command and spins the event loop until its callback ran (tests only).
inline Result<RedisReply> blockingCommand(RedisConnection& redis, const QByteArrayList& arguments)
{
    std::optional<Result<RedisReply>> answer;
    redis.command(arguments, [&answer](const Result<RedisReply>& reply) { answer = reply; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000))
        return Error::make(QStringLiteral("test_timeout"), QStringLiteral("the callback never ran"));
    return *answer;
}

// A key prefix unique to this test run, so runs against the shared server never see each other's keys.
inline QByteArray uniqueRedisPrefix()
{
    return "gatehouse-test:" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces) + ':';
}

// Reconnects within a fifth of a second, so that tests which stop and restart Redis wait briefly.
inline RedisConnection::Options quickReconnectOptions()
{
    RedisConnection::Options options;
    options.minBackoffMs = 20;
    options.maxBackoffMs = 200;
    return options;
}
