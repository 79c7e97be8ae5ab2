#pragma once

#include "common/LoopClock.h"

#include <QBasicTimer>

class QObject;
class QTimerEvent;

// A single-shot timeout that is moved far more often than it fires, such as the per-request timeouts of a
// keep-alive connection. Moving it later or stopping it only records the new due time; the timer already armed
// fires at its old time and re-arms itself for the rest (expire()). Only moving it earlier restarts the timer.
// Each start/stop of a QTimer is a timer id taken and given back plus a dispatcher update: several per request.
class Timeout
{
public:
    void start(int ms, QObject* receiver);
    void stop() { m_due = {}; }
    bool isActive() const { return m_due != Clock::time_point{}; }

    // From the receiver's timerEvent(): true when `event` is this timeout's and it is due (it is stopped then).
    bool expire(const QTimerEvent* event, QObject* receiver);

private:
    using Clock = LoopClock::Clock;

    QBasicTimer m_timer;
    Clock::time_point m_due;     // zero: stopped
    Clock::time_point m_armedAt; // when the armed timer fires
};
