#include "http/EpollEventDispatcher.h"

#include "common/Logging.h"
#include "common/LoopClock.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QThread>
#include <QTimerEvent>
#include <QVarLengthArray>

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>

namespace {

constexpr int kEventBatch = 256;
constexpr int kEventsPerClockRead = 16;

qint64 msOf(LoopClock::Clock::time_point time)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

// Timers are due on the time of the loop's pass (LoopClock): a timer started in a pass and a timer that fires in it
// see the same time.
qint64 nowMs()
{
    return msOf(LoopClock::now());
}

quint32 eventsFor(QSocketNotifier::Type type)
{
    switch (type) {
    case QSocketNotifier::Read:
        return EPOLLIN;
    case QSocketNotifier::Write:
        return EPOLLOUT;
    case QSocketNotifier::Exception:
        return EPOLLPRI;
    }
    return 0;
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject* parent)
    : QAbstractEventDispatcher(parent), m_epoll(epoll_create1(EPOLL_CLOEXEC)),
      m_wakeFd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)), m_events(kEventBatch)
{
    if (m_epoll < 0 || m_wakeFd < 0)
        qFatal("cannot create the worker event loop: %s", strerror(errno));
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = m_wakeFd;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &event) != 0)
        qFatal("cannot create the worker event loop: %s", strerror(errno));
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (QThread::currentThread() == thread())
        LoopClock::endPasses();
    ::close(m_wakeFd);
    ::close(m_epoll);
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier* notifier)
{
    const int fd = int(notifier->socket());
    Watch& entry = m_watches[fd];
    entry.notifiers[notifier->type()] = notifier;
    entry.wanted |= eventsFor(notifier->type());
    watch(fd, entry);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier* notifier)
{
    const int fd = int(notifier->socket());
    const auto it = m_watches.find(fd);
    if (it == m_watches.end() || it->notifiers[notifier->type()] != notifier)
        return;
    it->notifiers[notifier->type()] = nullptr;
    it->wanted &= ~eventsFor(notifier->type());
    watch(fd, *it);
}

void EpollEventDispatcher::watch(int fd, Watch& entry)
{
    if (entry.wanted == 0) {
        // At once, not later: the descriptor may be closed and its number reused before the next pass.
        if (entry.registered != 0 && epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr) != 0 && errno != EBADF &&
            errno != ENOENT)
            qCWarning(lcHttp) << "epoll: cannot stop watching descriptor" << fd << strerror(errno);
        m_watches.remove(fd);
        return;
    }
    if (!entry.queued) {
        entry.queued = true;
        m_changed.push_back(fd);
    }
}

void EpollEventDispatcher::applyChanges()
{
    for (const int fd : m_changed) {
        const auto it = m_watches.find(fd);
        if (it == m_watches.end() || !it->queued)
            continue;
        it->queued = false;
        if (it->wanted == it->registered)
            continue;
        epoll_event event{};
        event.events = it->wanted;
        event.data.fd = fd;
        int done = epoll_ctl(m_epoll, it->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event);
        if (done != 0 && (errno == ENOENT || errno == EEXIST)) // closed and reused behind our back
            done = epoll_ctl(m_epoll, errno == ENOENT ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
        if (done != 0) {
            qCWarning(lcHttp) << "epoll: cannot watch descriptor" << fd << strerror(errno);
            continue;
        }
        it->registered = it->wanted;
    }
    m_changed.clear();
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject* object)
{
    Timer& timer = m_timers[timerId];
    timer = Timer{interval, timerType, object, 0, 0};
    schedule(timerId, timer, nowMs() + interval);
}

void EpollEventDispatcher::schedule(int timerId, Timer& timer, qint64 dueMs)
{
    timer.dueMs = dueMs;
    timer.serial = m_nextSerial++;
    if (m_due.size() > 2 * size_t(m_timers.size()) + 64) {
        m_due.clear();
        for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it)
            m_due.push_back({it->dueMs, it.key(), it->serial});
        std::make_heap(m_due.begin(), m_due.end(), std::greater<>());
        return;
    }
    m_due.push_back({dueMs, timerId, timer.serial});
    std::push_heap(m_due.begin(), m_due.end(), std::greater<>());
}

bool EpollEventDispatcher::isLive(const Due& due) const
{
    const auto it = m_timers.constFind(due.timerId);
    return it != m_timers.cend() && it->serial == due.serial;
}

void EpollEventDispatcher::dropStaleTop()
{
    while (!m_due.empty() && !isLive(m_due.front())) {
        std::pop_heap(m_due.begin(), m_due.end(), std::greater<>());
        m_due.pop_back();
    }
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers.remove(timerId);
}

bool EpollEventDispatcher::unregisterTimers(QObject* object)
{
    return m_timers.removeIf([object](const auto& timer) { return timer.value().object == object; }) > 0;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject* object) const
{
    QList<TimerInfo> timers;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it) {
        if (it->object == object)
            timers.append(TimerInfo(it.key(), int(it->intervalMs), it->type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    return int(qMax<qint64>(0, it->dueMs - nowMs()));
}

void EpollEventDispatcher::wakeUp()
{
    if (QThread::currentThread() == thread()) {
        m_postedSinceLastPass = true; // the loop is running this very code: it only must not block next
        return;
    }
    if (m_wakeUpSent.exchange(true, std::memory_order_acq_rel))
        return;
    const quint64 one = 1;
    if (::write(m_wakeFd, &one, sizeof one) != sizeof one && errno != EAGAIN)
        qCWarning(lcHttp) << "epoll: cannot wake the worker event loop" << strerror(errno);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_release);
    if (QThread::currentThread() == thread())
        m_postedSinceLastPass = true;
    else
        wakeUp();
}

void EpollEventDispatcher::drainWakeUps()
{
    quint64 count = 0;
    while (::read(m_wakeFd, &count, sizeof count) == sizeof count) {
    }
    m_wakeUpSent.store(false, std::memory_order_release);
}

int EpollEventDispatcher::waitTimeoutMs(bool mayWait)
{
    if (!mayWait)
        return 0;
    dropStaleTop();
    if (m_due.empty())
        return -1;
    // The clock itself: the pass is over, and a wait measured from its start would end late by what it did.
    const qint64 wait = m_due.front().dueMs - msOf(LoopClock::Clock::now());
    return int(std::clamp<qint64>(wait, 0, std::numeric_limits<int>::max()));
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false, std::memory_order_relaxed);
    emit awake();
    m_postedSinceLastPass = false;
    QCoreApplication::sendPostedEvents();
    if (m_interrupted.load(std::memory_order_acquire))
        return false;

    const bool mayWait = (flags & QEventLoop::WaitForMoreEvents) && !m_postedSinceLastPass;
    applyChanges();
    if (mayWait)
        emit aboutToBlock();
    const int count = epoll_wait(m_epoll, m_events.data(), int(m_events.size()), waitTimeoutMs(mayWait));
    LoopClock::beginPass();
    if (count < 0 && errno != EINTR)
        qCWarning(lcHttp) << "epoll_wait failed:" << strerror(errno);
    if (m_interrupted.load(std::memory_order_acquire))
        return false;

    bool activated = false;
    if (count > 0 && !(flags & QEventLoop::ExcludeSocketNotifiers))
        activated = activateSocketEvents(count);
    else if (count > 0)
        drainWakeUps(); // socket events stay pending (level-triggered) for a pass that takes them
    if (!(flags & QEventLoop::X11ExcludeTimers)) {
        if (activated)
            LoopClock::beginPass(); // the timers that fall due during the handlers fire now, not a pass later
        activated = activateTimers() || activated;
    }
    return activated;
}

bool EpollEventDispatcher::activateSocketEvents(int count)
{
    // Copied first: a handler may register, unregister or delete notifiers, and may run a nested event loop.
    struct Activation
    {
        int fd;
        QSocketNotifier::Type type;
        QSocketNotifier* notifier;
    };
    QVarLengthArray<Activation, 64> activations;
    for (int i = 0; i < count; ++i) {
        const epoll_event& event = m_events[size_t(i)];
        const int fd = event.data.fd;
        if (fd == m_wakeFd) {
            drainWakeUps();
            continue;
        }
        const auto it = m_watches.constFind(fd);
        if (it == m_watches.cend())
            continue;
        const quint32 happened = event.events;
        if ((happened & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) && it->notifiers[QSocketNotifier::Read])
            activations.append({fd, QSocketNotifier::Read, it->notifiers[QSocketNotifier::Read]});
        if ((happened & (EPOLLOUT | EPOLLERR)) && it->notifiers[QSocketNotifier::Write])
            activations.append({fd, QSocketNotifier::Write, it->notifiers[QSocketNotifier::Write]});
        if ((happened & EPOLLPRI) && it->notifiers[QSocketNotifier::Exception])
            activations.append({fd, QSocketNotifier::Exception, it->notifiers[QSocketNotifier::Exception]});
    }
    int handled = 0;
    for (const Activation& activation : activations) {
        // The pass's time moves on every kEventsPerClockRead events, so that a timeout a handler starts is early by
        // what a few handlers did before it, not by all of a long pass (LoopClock).
        if (++handled % kEventsPerClockRead == 0)
            LoopClock::beginPass();
        // Still the same notifier? One handled before may have disabled or deleted it.
        const auto it = m_watches.constFind(activation.fd);
        if (it == m_watches.cend() || it->notifiers[activation.type] != activation.notifier)
            continue;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(activation.notifier, &event);
    }
    return !activations.isEmpty();
}

bool EpollEventDispatcher::activateTimers()
{
    dropStaleTop();
    if (m_due.empty())
        return false;
    const qint64 now = nowMs();
    QVarLengthArray<int, 32> expired;
    while (!m_due.empty() && m_due.front().dueMs <= now) {
        if (isLive(m_due.front()))
            expired.append(m_due.front().timerId);
        std::pop_heap(m_due.begin(), m_due.end(), std::greater<>());
        m_due.pop_back();
    }
    for (const int id : expired) {
        // Each fires at most once per pass, rescheduled before its event so that the handler may stop or restart it.
        const auto it = m_timers.find(id);
        if (it == m_timers.end() || it->dueMs > now) // stopped or restarted by a handler before it
            continue;
        QObject* object = it->object;
        schedule(id, *it, now + it->intervalMs);
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
    }
    return !expired.isEmpty();
}
