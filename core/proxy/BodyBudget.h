#pragma once

#include <QtGlobal>

#include <atomic>

// The request body bytes that all requests together may hold while they are read and forwarded (a retry must resend
// a body, so it is kept whole), shared by every worker, lock-free. A request takes what arrives and gives it all back
// when it ends; one that would take the total over the limit is refused, so that many slow or huge bodies cannot
// fill the memory before anyone is authenticated or limited.
class BodyBudget
{
public:
    explicit BodyBudget(qint64 limit) : m_limit(limit) {}

    // A reload. Bodies held beyond a lowered limit are not cut; new ones wait until the total is under it.
    void setLimit(qint64 limit) { m_limit.store(limit, std::memory_order_relaxed); }

    // False, and nothing taken, when `bytes` more would exceed the limit.
    bool take(qint64 bytes)
    {
        qint64 used = m_used.load(std::memory_order_relaxed);
        const qint64 limit = m_limit.load(std::memory_order_relaxed);
        do {
            if (used + bytes > limit)
                return false;
        } while (!m_used.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
        return true;
    }
    void give(qint64 bytes) { m_used.fetch_sub(bytes, std::memory_order_relaxed); }
    qint64 used() const { return m_used.load(std::memory_order_relaxed); }

private:
    std::atomic<qint64> m_limit;
    std::atomic<qint64> m_used{0};
};
