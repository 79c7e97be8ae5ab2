#pragma once

#include "cache/RedisConnection.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>

#include <functional>

// Rate limits and daily totals that every gateway instance counts in one place, Redis, so that a key limited to 10
// requests a minute admits 10 across all instances, not 10 on each.
//
// A rate is a GCRA bucket, the same algorithm as balance/KeyLimits, whose theoretical arrival time lives in Redis; a
// daily total (tokens, cost) is a counter of the current UTC day. acquire() decides every limit of a request in one
// script, atomically, on Redis's clock (so the instances' clocks need not agree): all are taken, or none and the
// answer says how long until they would be. add() charges what a request used once it is known.
//
// One per proxy worker, on the worker's thread, with a connection of its own: a decision costs the request one
// round trip and the worker nothing (it serves others meanwhile). The wait is bounded: when Redis is away, slow
// (no reply within the timeout) or answers nonsense, the answer is Unanswered at once and the caller decides with its
// local counters. What was added while Redis could not be reached is kept, merged per counter, and sent when it
// returns, so shared counting resumes with that usage in it.
class SharedLimits : public QObject
{
    Q_OBJECT

public:
    struct Limit
    {
        QByteArray name;      // unique per key and kind, e.g. "g42:rpm"
        qint64 windowMs = 0;  // of the rate; 0: a total for the current UTC day
        qint64 limit = 0;     // > 0
        qint64 units = 1;     // acquire(): taken (0: only checks that some is left); add(): added
    };
    enum class Verdict { Admitted, Refused, Unanswered };
    struct Answer
    {
        Verdict verdict = Verdict::Unanswered;
        qint64 retryAfterMs = 0; // when Refused
        int limit = 0;           // when Refused: the index of the limit that refused the longest
    };
    using Done = std::function<void(Answer)>;

    // options.commandTimeoutMs bounds how long a decision may wait for Redis.
    SharedLimits(const RedisUrl& url, RedisConnection::Options options, QObject* parent = nullptr);

    // Calls done() later, from the event loop, never from inside acquire().
    void acquire(const QList<Limit>& limits, Done done);
    void add(const QList<Limit>& limits);

    bool isConnected() const { return m_redis.isConnected(); }

private:
    static QByteArrayList evalArguments(const QByteArray& script, const QList<Limit>& limits);
    void keepUnsent(const QList<Limit>& limits);
    void sendUnsent();

    RedisConnection m_redis;
    QHash<QByteArray, Limit> m_unsent; // by name
};
