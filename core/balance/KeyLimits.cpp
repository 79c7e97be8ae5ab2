#include "balance/KeyLimits.h"

#include <algorithm>

namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;
constexpr qint64 kMinuteNs = 60'000'000'000LL;
constexpr qint64 kDayNs = 24 * 60 * kMinuteNs;

} // namespace

void KeyLimits::Bucket::setLimit(qint64 limit, qint64 nowNs)
{
    // Rounded down, so a full burst of `limit` units always fits in one window.
    const qint64 interval = limit > 0 ? std::max<qint64>(1, m_windowNs / limit) : 0;
    const qint64 previous = m_intervalNs.exchange(interval, kRelaxed);
    if (previous == 0 || interval == 0 || previous == interval)
        return;
    // The TAT is the backlog in time at the old unit cost; restate it in units at the new cost.
    qint64 tat = m_tatNs.load(kRelaxed);
    qint64 rescaled;
    do {
        const qint64 backlogUnits = std::max<qint64>(0, tat - nowNs) / previous;
        rescaled = nowNs + backlogUnits * interval;
    } while (!m_tatNs.compare_exchange_weak(tat, rescaled, kRelaxed));
}

qint64 KeyLimits::Bucket::freeAtNs(qint64 nowNs, qint64 cost) const
{
    const qint64 interval = m_intervalNs.load(kRelaxed);
    if (interval == 0)
        return nowNs;
    // Cost 0 means "not entirely spent": strictly less than a window ahead, hence the 1 ns.
    const qint64 need = cost > 0 ? cost * interval : 1;
    return std::max(nowNs, m_tatNs.load(kRelaxed) + need - m_windowNs);
}

bool KeyLimits::Bucket::tryTake(qint64 nowNs)
{
    const qint64 interval = m_intervalNs.load(kRelaxed);
    if (interval == 0)
        return true;
    qint64 tat = m_tatNs.load(kRelaxed);
    qint64 next;
    do {
        next = std::max(tat, nowNs) + interval;
        if (next - nowNs > m_windowNs)
            return false;
    } while (!m_tatNs.compare_exchange_weak(tat, next, kRelaxed));
    return true;
}

void KeyLimits::Bucket::giveBack()
{
    m_tatNs.fetch_sub(m_intervalNs.load(kRelaxed), kRelaxed);
}

void KeyLimits::Bucket::add(qint64 units, qint64 nowNs)
{
    const qint64 interval = m_intervalNs.load(kRelaxed);
    if (interval == 0 || units <= 0)
        return;
    // Bounded so that a wild token count cannot overflow the clock; ten windows of debt is plenty.
    const qint64 cost = std::min(units, 10 * m_windowNs / interval) * interval;
    qint64 tat = m_tatNs.load(kRelaxed);
    while (!m_tatNs.compare_exchange_weak(tat, std::max(tat, nowNs) + cost, kRelaxed)) {
    }
}

KeyLimits::KeyLimits(const KeyQuota& quota)
    : m_requestsPerMinute(kMinuteNs), m_tokensPerMinute(kMinuteNs), m_requestsPerDay(kDayNs)
{
    setQuota(quota, KeyTime{});
}

void KeyLimits::setQuota(const KeyQuota& quota, KeyTime now)
{
    const qint64 nowNs = KeyClockTime::toNs(now);
    m_requestsPerMinute.setLimit(quota.requestsPerMinute, nowNs);
    m_tokensPerMinute.setLimit(quota.tokensPerMinute, nowNs);
    m_requestsPerDay.setLimit(quota.requestsPerDay, nowNs);
}

bool KeyLimits::isAvailable(KeyTime now) const
{
    const qint64 nowNs = KeyClockTime::toNs(now);
    return m_requestsPerMinute.freeAtNs(nowNs, 1) <= nowNs && m_tokensPerMinute.freeAtNs(nowNs, 0) <= nowNs &&
           m_requestsPerDay.freeAtNs(nowNs, 1) <= nowNs;
}

bool KeyLimits::tryAcquire(KeyTime now)
{
    const qint64 nowNs = KeyClockTime::toNs(now);
    if (m_tokensPerMinute.freeAtNs(nowNs, 0) > nowNs)
        return false;
    if (!m_requestsPerDay.tryTake(nowNs))
        return false;
    if (!m_requestsPerMinute.tryTake(nowNs)) {
        m_requestsPerDay.giveBack();
        return false;
    }
    return true;
}

void KeyLimits::release()
{
    m_requestsPerMinute.giveBack();
    m_requestsPerDay.giveBack();
}

void KeyLimits::addTokens(qint64 tokens, KeyTime now)
{
    m_tokensPerMinute.add(tokens, KeyClockTime::toNs(now));
}

KeyTime KeyLimits::availableAt(KeyTime now) const
{
    const qint64 nowNs = KeyClockTime::toNs(now);
    return KeyClockTime::fromNs(std::max({m_requestsPerMinute.freeAtNs(nowNs, 1), m_tokensPerMinute.freeAtNs(nowNs, 0),
                                          m_requestsPerDay.freeAtNs(nowNs, 1)}));
}
