#pragma once

#include <QByteArray>
#include <QHash>
#include <QMutex>
#include <QObject>
#include <QTimer>

#include <functional>
#include <utility>

class RedisConnection;

// Counts events in fixed time windows (requests per minute per gateway key, failed logins per user) across all
// instances, without ever making the caller wait for Redis.
//
// increment() answers at once from memory: the window's global count as last fetched from Redis plus what this
// instance added since. Every sync interval one EVAL adds this instance's new amounts to the Redis counters (INCRBY,
// then PEXPIRE so counters of past windows vanish) and fetches the resulting totals, for all live counters in one
// round trip. So an instance learns about the others' increments within one sync interval plus a round trip, and a
// limit holds across N instances to within what the other instances add in that time. While Redis is away each
// instance counts alone (a limit then holds per instance) and pushes what it counted when Redis returns, if the window
// is still open. An amount whose sync failed is sent again, so a lost reply can count it twice but never loses it.
// Windows are aligned to wall-clock time, so all instances agree on them (to within their clock skew).
//
// increment() may be called from any thread (a short mutex, no I/O); the rest belongs to the owner thread.
class SharedCounter : public QObject
{
    Q_OBJECT

public:
    using Clock = std::function<qint64()>; // milliseconds since the epoch; injectable for tests

    // redis may be nullptr (single instance).
    explicit SharedCounter(RedisConnection* redis, QByteArray keyPrefix, int syncIntervalMs = 100, Clock clock = {},
                           QObject* parent = nullptr);

    // Adds amount (0 just reads) to the count of key in the current window of windowMs and returns that count.
    qint64 increment(const QByteArray& key, qint64 windowMs, qint64 amount = 1);

signals:
    void synchronized(); // a sync round trip with Redis completed

private:
    struct Window
    {
        qint64 index = -1;   // start time / window length
        qint64 global = 0;   // total in Redis at the last sync, our synced amounts included
        qint64 inFlight = 0; // sent to Redis, reply not yet here
        qint64 pending = 0;  // not yet sent
    };

    using WindowId = std::pair<QByteArray, qint64>; // key and window length

    void sync();
    void applySync(const QList<QPair<WindowId, qint64>>& sent, const QList<qint64>* totals);

    RedisConnection* m_redis;
    QByteArray m_prefix;
    Clock m_clock;
    QTimer m_syncTimer;
    bool m_syncing = false;
    QMutex m_mutex;
    QHash<WindowId, Window> m_windows;
};
