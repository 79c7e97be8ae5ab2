#include "cache/SharedCounter.h"

#include "cache/RedisConnection.h"

#include <QDateTime>
#include <QPointer>

namespace {

// One round trip for every counter: KEYS are the window counters, ARGV holds (amount, ttl) pairs. A script keeps
// INCRBY and PEXPIRE atomic (a counter never lives without expiry) and returns all totals in one flat reply.
const QByteArray kSyncScript = "local totals = {}\n"
                               "for i, key in ipairs(KEYS) do\n"
                               "  totals[i] = redis.call('INCRBY', key, ARGV[2 * i - 1])\n"
                               "  redis.call('PEXPIRE', key, ARGV[2 * i])\n"
                               "end\n"
                               "return totals\n";

} // namespace

SharedCounter::SharedCounter(RedisConnection* redis, QByteArray keyPrefix, int syncIntervalMs, Clock clock,
                             QObject* parent)
    : QObject(parent), m_redis(redis), m_prefix(std::move(keyPrefix)), m_clock(std::move(clock))
{
    if (!m_clock)
        m_clock = [] { return QDateTime::currentMSecsSinceEpoch(); };
    connect(&m_syncTimer, &QTimer::timeout, this, &SharedCounter::sync);
    m_syncTimer.start(syncIntervalMs);
}

qint64 SharedCounter::increment(const QByteArray& key, qint64 windowMs, qint64 amount)
{
    const qint64 index = m_clock() / windowMs;
    const QMutexLocker lock(&m_mutex);
    Window& window = m_windows[{key, windowMs}]; // no allocation once the window exists: keys are shared
    if (window.index < index)
        window = Window{index};
    window.pending += amount;
    return window.global + window.inFlight + window.pending;
}

void SharedCounter::sync()
{
    if (m_syncing)
        return;
    const qint64 now = m_clock();
    const bool connected = m_redis && m_redis->isConnected();
    QList<QPair<WindowId, qint64>> sent; // which window and its index, per key
    QList<qint64> amounts;
    {
        const QMutexLocker lock(&m_mutex); // held briefly: no I/O, no key building
        for (auto it = m_windows.begin(); it != m_windows.end();) {
            Window& window = it.value();
            if (window.index < now / it.key().second) { // over: what was not synced no longer matters
                it = m_windows.erase(it);
                continue;
            }
            if (connected) {
                sent.append({it.key(), window.index});
                amounts.append(window.pending);
                window.inFlight = window.pending;
                window.pending = 0;
            }
            ++it;
        }
    }
    if (sent.isEmpty())
        return;
    QByteArrayList arguments{"EVAL", kSyncScript, QByteArray::number(sent.size())};
    for (const auto& [id, index] : std::as_const(sent))
        arguments.append(m_prefix + id.first + ':' + QByteArray::number(id.second) + ':' + QByteArray::number(index));
    for (qsizetype i = 0; i < sent.size(); ++i) {
        arguments.append(QByteArray::number(amounts[i]));
        arguments.append(QByteArray::number(2 * sent[i].first.second));
    }
    m_syncing = true;
    m_redis->command(arguments, [self = QPointer<SharedCounter>(this), sent](const Result<RedisReply>& reply) {
        if (!self)
            return;
        self->m_syncing = false;
        QList<qint64> totals;
        if (reply.ok() && reply->type == RedisReply::Type::Array && reply->elements.size() == sent.size()) {
            for (const RedisReply& total : reply->elements)
                totals.append(total.integer);
        }
        self->applySync(sent, totals.size() == sent.size() ? &totals : nullptr);
        emit self->synchronized();
    });
}

// totals == nullptr: the sync failed, so what was in flight is pending again.
void SharedCounter::applySync(const QList<QPair<WindowId, qint64>>& sent, const QList<qint64>* totals)
{
    const QMutexLocker lock(&m_mutex);
    for (qsizetype i = 0; i < sent.size(); ++i) {
        const auto it = m_windows.find(sent[i].first);
        if (it == m_windows.end() || it->index != sent[i].second)
            continue; // the window ended meanwhile
        if (totals)
            it->global = totals->at(i);
        else
            it->pending += it->inFlight;
        it->inFlight = 0;
    }
}
