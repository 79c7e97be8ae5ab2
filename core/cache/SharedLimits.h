#pragma once

#include "cache/RedisConnection.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <functional>

// Rate limits and daily totals that every gateway instance counts in one place, Redis, so that a key limited to 10
// requests a minute admits 10 across all instances, not 10 on each.
//
// A rate is a GCRA bucket, the same algorithm as balance/KeyLimits, whose theoretical arrival time lives in Redis; a
// daily total (tokens, cost) is a counter of the current UTC day. One script decides every limit of a request
// atomically, on Redis's clock (so the instances' clocks need not agree): all are taken, or none and the answer says
// how long until they would be.
//
// A round trip per request halves what a worker serves (measured: see docs/scale-out.md), so rates are leased: a
// decision that goes to Redis may take more units than the request needs, and the next requests spend that lease here
// without asking, for at most kLeaseMs. Leases follow the traffic a worker sees (leaseSize()), up to a hundredth of
// the limit: a limit under 200 always leases one unit, so small limits are exact across instances; a larger one holds
// to within a hundredth of it per worker (leased units used later than Redis counted them). What is left of a lease
// goes back to Redis with the request for the next one. Checks that take nothing (tokens per minute, daily budgets)
// are trusted for kCheckMs after Redis said they had room; tokens are charged once a response ends anyway.
//
// One per proxy worker, on the worker's thread, with a connection of its own: the worker never waits (a request does,
// for one bounded round trip). When Redis is away, slow (no reply within the command timeout) or answers nonsense,
// the answer is Unanswered and the caller decides with its local counters. What was added while Redis could not be
// reached is kept, merged per counter, and sent when it returns, so shared counting resumes with that usage in it.
// Usage is sent in batches, a script per worker every kSendIntervalMs at most, not one per request.
class SharedLimits : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kLeaseMs = 500;
    static constexpr qint64 kCheckMs = 100;
    static constexpr qint64 kLeaseShare = 100;  // a lease is at most 1/kLeaseShare of the limit
    static constexpr int kSendIntervalMs = 100; // add() sends what it was given this often

    struct Limit
    {
        QByteArray name;     // unique per key and kind, e.g. "g42:rpm"
        qint64 windowMs = 0; // of the rate; 0: a total for the current UTC day
        qint64 limit = 0;    // > 0
        qint64 units = 1;    // acquire(): taken (0: only checks that some is left); add(): added
    };
    enum class Verdict { Admitted, Refused, Unanswered, Pending };
    struct Answer
    {
        Verdict verdict = Verdict::Unanswered;
        qint64 retryAfterMs = 0; // when Refused
        int limit = 0;           // when Refused: the index of the limit that refused the longest
    };
    using Done = std::function<void(Answer)>;

    // options.commandTimeoutMs bounds how long a decision may wait for Redis.
    SharedLimits(const RedisUrl& url, RedisConnection::Options options, QObject* parent = nullptr);

    // Admitted at once from this worker's leases, or Pending: done() is then called later, from the event loop.
    Verdict acquire(const QList<Limit>& limits, Done done);
    // Charges units (tokens and cost once a response ends; what was admitted while Redis did not answer); sent every
    // kSendIntervalMs, merged per counter, and kept while Redis is away.
    void add(const QList<Limit>& limits);

    bool isConnected() const { return m_redis.isConnected(); }

private:
    struct Lease
    {
        qint64 units = 0;    // of a rate, taken in Redis and not yet spent here
        qint64 untilMs = 0;  // m_clock time; 0: never leased
        qint64 size = 1;     // of the next lease (leaseSize())
        bool asking = false; // a lease is on its way from Redis
    };

    static bool isRate(const Limit& limit); // taken per request and leased; the other limits are only checked
    bool takeLeased(const QList<Limit>& limits);
    qint64 leaseSize(const Limit& limit, Lease& lease);
    void keepLeases(const QList<Limit>& limits, const QList<bool>& leasing, const QList<RedisReply>& granted);
    void sendUnsent();

    RedisConnection m_redis;
    QElapsedTimer m_clock;
    QHash<QByteArray, Lease> m_leases; // by name
    QHash<QByteArray, Limit> m_unsent; // added, not yet sent; by name
    QTimer m_sendTimer;
};
