#include "cache/MemoryCache.h"

#include <QDeadlineTimer>
#include <QTimer>

namespace {

void answerLater(Cache::ValueCallback done, std::optional<QByteArray> value)
{
    QTimer::singleShot(0, [done = std::move(done), value = std::move(value)] { done(value); });
}

} // namespace

MemoryCache::MemoryCache(qsizetype maxEntries, Clock clock)
    : m_maxEntries(std::max<qsizetype>(1, maxEntries)), m_clock(std::move(clock))
{
    if (!m_clock)
        m_clock = [] { return QDeadlineTimer::current().deadline(); };
}

void MemoryCache::set(const QByteArray& key, const QByteArray& value, qint64 ttlMs)
{
    remove(key);
    m_entries.push_front(Entry{key, value, m_clock() + ttlMs});
    m_index.insert(key, m_entries.begin());
    while (m_index.size() > m_maxEntries) {
        m_index.remove(m_entries.back().key);
        m_entries.pop_back();
    }
}

void MemoryCache::get(const QByteArray& key, ValueCallback done)
{
    answerLater(std::move(done), value(key));
}

void MemoryCache::take(const QByteArray& key, ValueCallback done)
{
    answerLater(std::move(done), takeValue(key));
}

void MemoryCache::remove(const QByteArray& key)
{
    const auto it = m_index.constFind(key);
    if (it == m_index.cend())
        return;
    m_entries.erase(*it);
    m_index.erase(it);
}

std::optional<QByteArray> MemoryCache::value(const QByteArray& key)
{
    const auto it = find(key);
    if (it == m_entries.end())
        return std::nullopt;
    m_entries.splice(m_entries.begin(), m_entries, it);
    return it->value;
}

std::optional<QByteArray> MemoryCache::takeValue(const QByteArray& key)
{
    const auto it = find(key);
    if (it == m_entries.end())
        return std::nullopt;
    QByteArray value = std::move(it->value);
    m_index.remove(key);
    m_entries.erase(it);
    return value;
}

// An expired entry is removed when found; the size bound removes the ones nobody asks for.
MemoryCache::Entries::iterator MemoryCache::find(const QByteArray& key)
{
    const auto indexed = m_index.constFind(key);
    if (indexed == m_index.cend())
        return m_entries.end();
    const auto it = *indexed;
    if (it->expiresAtMs <= m_clock()) {
        m_index.erase(indexed);
        m_entries.erase(it);
        return m_entries.end();
    }
    return it;
}
