#pragma once

#include "cache/Cache.h"

#include <memory>

class MemoryCache;
class RedisConnection;

// The Cache shared by all instances, in Redis under a key prefix. While Redis is away (or a command fails) values
// go to and come from an in-process MemoryCache instead; a value stored there during an outage stays readable on
// this instance until it expires, since reads fall back to memory whenever Redis has nothing.
class RedisCache : public Cache
{
public:
    RedisCache(RedisConnection* redis, QByteArray keyPrefix, qsizetype fallbackEntries = 10'000);

    void set(const QByteArray& key, const QByteArray& value, qint64 ttlMs) override;
    void get(const QByteArray& key, ValueCallback done) override;
    void take(const QByteArray& key, ValueCallback done) override;
    void remove(const QByteArray& key) override;

private:
    void read(const char* command, const QByteArray& key, ValueCallback done, bool takeFromMemory);

    RedisConnection* m_redis;
    QByteArray m_prefix;
    std::shared_ptr<MemoryCache> m_memory; // shared with callbacks that may outlive us
};
