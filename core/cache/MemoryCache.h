#pragma once

#include "cache/Cache.h"

#include <QHash>

#include <list>

// An in-process cache: least recently used entries go first beyond maxEntries, and every entry expires after its
// TTL. Use it from one thread. Besides the Cache interface it answers synchronously.
class MemoryCache : public Cache
{
public:
    using Clock = std::function<qint64()>; // milliseconds, monotonic; injectable for tests

    explicit MemoryCache(qsizetype maxEntries = 10'000, Clock clock = {});

    void set(const QByteArray& key, const QByteArray& value, qint64 ttlMs) override;
    void get(const QByteArray& key, ValueCallback done) override;
    void take(const QByteArray& key, ValueCallback done) override;
    void remove(const QByteArray& key) override;

    std::optional<QByteArray> value(const QByteArray& key);
    std::optional<QByteArray> takeValue(const QByteArray& key);
    qsizetype size() const { return m_index.size(); }

private:
    struct Entry
    {
        QByteArray key;
        QByteArray value;
        qint64 expiresAtMs;
    };
    using Entries = std::list<Entry>; // most recently used first

    Entries::iterator find(const QByteArray& key);

    qsizetype m_maxEntries;
    Clock m_clock;
    Entries m_entries;
    QHash<QByteArray, Entries::iterator> m_index;
};
