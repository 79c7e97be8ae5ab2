#pragma once

#include "common/Durations.h"

#include <QtGlobal>

#include <atomic>
#include <optional>

// The tokens and cost one gateway key may spend per UTC day, shared by every worker, lock-free. Spending is
// counted after each response, finished or not (its usage is known only then), so the request that crosses the budget
// completes and the next ones are refused until midnight UTC. At the day's turn a few concurrent additions may land in
// the old day: a budget is a guard rail, not an invoice.
class GatewayKeyBudget
{
public:
    GatewayKeyBudget(qint64 tokensPerDay, qint64 costMicrosPerDay) { setLimits(tokensPerDay, costMicrosPerDay); }

    // 0 = no limit of that kind.
    void setLimits(qint64 tokensPerDay, qint64 costMicrosPerDay)
    {
        m_tokenLimit.store(tokensPerDay, std::memory_order_relaxed);
        m_costLimit.store(costMicrosPerDay, std::memory_order_relaxed);
    }

    // Empty while the key may spend; else the milliseconds until the budget renews (next UTC midnight).
    std::optional<qint64> retryAfterMs(qint64 nowMs)
    {
        rollOver(nowMs);
        const qint64 tokenLimit = m_tokenLimit.load(std::memory_order_relaxed);
        const qint64 costLimit = m_costLimit.load(std::memory_order_relaxed);
        const bool spent = (tokenLimit > 0 && m_tokens.load(std::memory_order_relaxed) >= tokenLimit) ||
                           (costLimit > 0 && m_costMicros.load(std::memory_order_relaxed) >= costLimit);
        if (!spent)
            return std::nullopt;
        return kDayMs - nowMs % kDayMs;
    }

    void add(qint64 tokens, qint64 costMicros, qint64 nowMs)
    {
        rollOver(nowMs);
        m_tokens.fetch_add(tokens, std::memory_order_relaxed);
        m_costMicros.fetch_add(costMicros, std::memory_order_relaxed);
    }

    qint64 tokensToday() const { return m_tokens.load(std::memory_order_relaxed); }
    qint64 costMicrosToday() const { return m_costMicros.load(std::memory_order_relaxed); }

private:
    void rollOver(qint64 nowMs)
    {
        const qint64 today = nowMs / kDayMs;
        qint64 day = m_day.load(std::memory_order_relaxed);
        if (day != today && m_day.compare_exchange_strong(day, today, std::memory_order_relaxed)) {
            m_tokens.store(0, std::memory_order_relaxed);
            m_costMicros.store(0, std::memory_order_relaxed);
        }
    }

    std::atomic<qint64> m_tokenLimit{0};
    std::atomic<qint64> m_costLimit{0};
    std::atomic<qint64> m_day{0};
    std::atomic<qint64> m_tokens{0};
    std::atomic<qint64> m_costMicros{0};
};
