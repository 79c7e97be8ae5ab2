#include "cache/RedisCache.h"

#include "cache/MemoryCache.h"
#include "cache/RedisConnection.h"

RedisCache::RedisCache(RedisConnection* redis, QByteArray keyPrefix, qsizetype fallbackEntries)
    : m_redis(redis), m_prefix(std::move(keyPrefix)), m_memory(std::make_shared<MemoryCache>(fallbackEntries))
{}

void RedisCache::set(const QByteArray& key, const QByteArray& value, qint64 ttlMs)
{
    if (!m_redis->isConnected())
        return m_memory->set(key, value, ttlMs);
    m_memory->remove(key); // Redis holds the newer value
    m_redis->command({"SET", m_prefix + key, value, "PX", QByteArray::number(std::max<qint64>(1, ttlMs))},
                     [memory = m_memory, key, value, ttlMs](const Result<RedisReply>& reply) {
                         if (!reply.ok() || reply->isError())
                             memory->set(key, value, ttlMs);
                     });
}

void RedisCache::get(const QByteArray& key, ValueCallback done)
{
    read("GET", key, std::move(done), false);
}

void RedisCache::take(const QByteArray& key, ValueCallback done)
{
    read("GETDEL", key, std::move(done), true);
}

void RedisCache::remove(const QByteArray& key)
{
    m_memory->remove(key);
    m_redis->command({"DEL", m_prefix + key}, [](const Result<RedisReply>&) {});
}

void RedisCache::read(const char* command, const QByteArray& key, ValueCallback done, bool takeFromMemory)
{
    m_redis->command({command, m_prefix + key},
                     [memory = m_memory, key, done = std::move(done), takeFromMemory](const Result<RedisReply>& reply) {
                         if (reply.ok() && reply->type == RedisReply::Type::String)
                             return done(reply->string);
                         done(takeFromMemory ? memory->takeValue(key) : memory->value(key));
                     });
}
