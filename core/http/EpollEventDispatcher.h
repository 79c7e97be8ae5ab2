#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>

#include <sys/epoll.h>

#include <atomic>
#include <vector>

class QSocketNotifier;

// The event loop of an HTTP worker thread: epoll for sockets, an ordered map for timers, an eventfd for wake-ups
// from other threads. Qt's default dispatcher on Linux (GLib) polls every socket of the thread on every pass and
// writes to its wake-up descriptor whenever a notifier is switched on or off, which QAbstractSocket does around
// each write: about ten system calls per proxied request that do no I/O. Here a pass costs one epoll_wait, socket
// notifier changes are applied in one go just before it (so a switch on and off in between costs nothing), and a
// wake-up from the thread itself costs nothing. Everything else about Qt's event loop (posted events, deferred
// deletes, QTimer, QSocketNotifier, QTcpSocket, QSslSocket) works as usual on top of it.
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject* parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier* notifier) override;
    void unregisterSocketNotifier(QSocketNotifier* notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject* object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject* object) override;
    QList<TimerInfo> registeredTimers(QObject* object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    struct Watch // the notifiers of one descriptor
    {
        QSocketNotifier* notifiers[3] = {}; // indexed by QSocketNotifier::Type: Read, Write, Exception
        quint32 wanted = 0;                 // epoll events the notifiers ask for
        quint32 registered = 0;             // epoll events the kernel has for this descriptor
        quint64 generation = 0;             // changes whenever a notifier is replaced, so stale events are dropped
        bool queued = false;                // in m_changed
    };
    struct Timer
    {
        qint64 intervalMs;
        Qt::TimerType type;
        QObject* object;
        qint64 dueMs;   // on the steady clock
        quint64 serial; // of its entry in m_due
    };
    struct Due // an entry of the m_due heap; stale once its timer is gone or rescheduled (serial differs)
    {
        qint64 dueMs;
        int timerId;
        quint64 serial;
        bool operator>(const Due& other) const { return dueMs > other.dueMs; }
    };

    void watch(int fd, Watch& watch);
    void schedule(int timerId, Timer& timer, qint64 dueMs);
    bool isLive(const Due& due) const;
    void dropStaleTop();
    void applyChanges();
    int waitTimeoutMs(bool mayWait);
    bool activateSocketEvents(int count);
    bool activateTimers();
    void drainWakeUps();

    int m_epoll;
    int m_wakeFd;
    std::atomic<bool> m_wakeUpSent{false}; // the eventfd holds a wake-up not yet read
    std::atomic<bool> m_interrupted{false};
    bool m_postedSinceLastPass = false; // wakeUp() from this thread: do not block on the next pass
    QHash<int, Watch> m_watches;
    std::vector<int> m_changed;
    QHash<int, Timer> m_timers;
    // Earliest first. Timers are started and stopped several times per request and rarely fire, so stopping one only
    // forgets it in m_timers; its entry here is skipped when it comes up, and the heap is rebuilt when stale
    // entries outnumber live ones. Starting and stopping then allocate nothing.
    std::vector<Due> m_due;
    quint64 m_nextSerial = 1;
    std::vector<epoll_event> m_events;
};
