#include "http/Timeout.h"

#include <QTimerEvent>

#include <limits>

namespace {

int msUntil(std::chrono::steady_clock::time_point due, std::chrono::steady_clock::time_point now)
{
    // Rounded up: a timer firing a little early would only re-arm itself.
    const qint64 ms = std::chrono::ceil<std::chrono::milliseconds>(due - now).count();
    return int(qBound(qint64(0), ms, qint64(std::numeric_limits<int>::max())));
}

} // namespace

void Timeout::start(int ms, QObject* receiver)
{
    const Clock::time_point now = LoopClock::now();
    m_due = now + std::chrono::milliseconds(ms);
    if (m_timer.isActive() && m_armedAt <= m_due)
        return;
    m_armedAt = m_due;
    m_timer.start(ms, Qt::PreciseTimer, receiver);
}

bool Timeout::expire(const QTimerEvent* event, QObject* receiver)
{
    if (event->timerId() != m_timer.timerId())
        return false;
    if (!isActive()) {
        m_timer.stop();
        return false;
    }
    const Clock::time_point now = LoopClock::now();
    if (now < m_due) {
        m_armedAt = m_due;
        m_timer.start(msUntil(m_due, now), Qt::PreciseTimer, receiver);
        return false;
    }
    m_timer.stop();
    m_due = {};
    return true;
}
