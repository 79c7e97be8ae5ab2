#pragma once

#include <QtGlobal>

// Lengths of time in milliseconds, the unit of every time the gateway stores.
inline constexpr qint64 kMinuteMs = 60 * 1000;
inline constexpr qint64 kHourMs = 60 * kMinuteMs;
inline constexpr qint64 kDayMs = 24 * kHourMs;
