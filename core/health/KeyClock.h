#pragma once

#include <QtGlobal>

#include <chrono>

// Health and balancing run on the monotonic clock; callers pass `now` so tests control time.
using KeyClock = std::chrono::steady_clock;
using KeyTime = KeyClock::time_point;

namespace KeyClockTime {

// Times are kept in atomics as nanoseconds on KeyClock.
inline qint64 toNs(KeyTime t)
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

inline KeyTime fromNs(qint64 ns)
{
    return KeyTime(std::chrono::duration_cast<KeyClock::duration>(std::chrono::nanoseconds(ns)));
}

// Whole milliseconds from `now` until `t`, rounded up so a client told to retry then is not early; 0 if past.
inline qint64 msUntil(KeyTime now, KeyTime t)
{
    if (t <= now)
        return 0;
    return std::chrono::ceil<std::chrono::milliseconds>(t - now).count();
}

} // namespace KeyClockTime
