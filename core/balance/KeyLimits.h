#pragma once

#include "balance/KeyQuota.h"
#include "health/KeyClock.h"

#include <atomic>

// Keeps one provider key inside its KeyQuota, shared by every proxy worker, lock-free.
//
// Each limit is a token bucket in GCRA form (the "generic cell rate algorithm" of ATM networks): one atomic
// holds the theoretical arrival time (TAT) of the next unit; a unit costs window/limit of time and is allowed
// while the TAT stays within one window ahead of now. Compared with fixed windows (a burst of 2x the limit
// across a boundary, and everything frees at once) or a two-bucket sliding estimate (two counters and a window
// index that do not fit one CAS), it needs a single compare-and-swap per limit, gives the exact moment a unit
// frees up for Retry-After, and refills continuously, the way Anthropic documents its limits and OpenAI
// describes replenishing. A full burst of `limit` is allowed after an idle window.
class KeyLimits
{
public:
    explicit KeyLimits(const KeyQuota& quota = {});

    // An admin changed the quota; the units used so far keep counting against the new limits.
    void setQuota(const KeyQuota& quota, KeyTime now);

    // Whether tryAcquire() would succeed now (a hint: another worker may take the last slot first).
    bool isAvailable(KeyTime now) const;
    // Reserves one request against the request limits; false, reserving nothing, when either is exhausted or
    // the tokens of the last minute are spent.
    bool tryAcquire(KeyTime now);
    // Gives back the request tryAcquire() reserved, when it was refused elsewhere (by the limits all instances share).
    void release();
    // Counts the tokens a response used, once they are known; they may overshoot the limit, which then keeps
    // the key unavailable for longer.
    void addTokens(qint64 tokens, KeyTime now);
    // When the next request can be reserved: `now` if it can be now.
    KeyTime availableAt(KeyTime now) const;

private:
    class Bucket
    {
    public:
        explicit Bucket(qint64 windowNs) : m_windowNs(windowNs) {}
        void setLimit(qint64 limit, qint64 nowNs);
        bool isLimited() const { return m_intervalNs.load(std::memory_order_relaxed) > 0; }
        // `cost` is in units of the limit; 0 asks whether any capacity is left at all.
        qint64 freeAtNs(qint64 nowNs, qint64 cost) const;
        bool tryTake(qint64 nowNs);
        void giveBack();
        void add(qint64 units, qint64 nowNs);

    private:
        const qint64 m_windowNs;
        std::atomic<qint64> m_intervalNs{0}; // window / limit; 0 = unlimited
        std::atomic<qint64> m_tatNs{0};
    };

    Bucket m_requestsPerMinute;
    Bucket m_tokensPerMinute;
    Bucket m_requestsPerDay;
};
