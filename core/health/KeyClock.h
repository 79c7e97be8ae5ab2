#pragma once

#include "common/LoopClock.h"

#include <QtGlobal>

#include <atomic>
#include <chrono>

// Health and balancing run on the monotonic clock. Functions take `now` so unit tests control time; a running
// gateway reads it from one KeyClock, which integration tests move forward instead of waiting out a cooldown. On a
// proxy worker it is the time of the worker's pass (LoopClock).
using KeyTime = std::chrono::steady_clock::time_point;

class KeyClock
{
public:
    KeyTime now() const
    {
        return LoopClock::now() + std::chrono::nanoseconds(m_offsetNs.load(std::memory_order_relaxed));
    }

    // For tests: every later now() is `by` further on.
    void advance(std::chrono::milliseconds by)
    {
        m_offsetNs.fetch_add(std::chrono::nanoseconds(by).count(), std::memory_order_relaxed);
    }

private:
    std::atomic<qint64> m_offsetNs{0};
};

namespace KeyClockTime {

// Times are kept in atomics as nanoseconds on the steady clock.
inline qint64 toNs(KeyTime t)
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

inline KeyTime fromNs(qint64 ns)
{
    return KeyTime(std::chrono::duration_cast<KeyTime::duration>(std::chrono::nanoseconds(ns)));
}

// Whole milliseconds from `now` until `t`, rounded up so a client told to retry then is not early; 0 if past.
inline qint64 msUntil(KeyTime now, KeyTime t)
{
    if (t <= now)
        return 0;
    return std::chrono::ceil<std::chrono::milliseconds>(t - now).count();
}

} // namespace KeyClockTime
