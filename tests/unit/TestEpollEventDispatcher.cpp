#include "TestRegistry.h"
#include "common/LoopClock.h"
#include "http/EpollEventDispatcher.h"

#include <QSocketNotifier>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

// Named: the test's lambdas capture these, which in an anonymous namespace the unity build warns of
// (-Wsubobject-linkage).
namespace epoll_dispatcher_helpers {

// A thread running its event loop on an EpollEventDispatcher; work is handed to it with run().
class LoopThread
{
public:
    LoopThread()
    {
        m_thread.setEventDispatcher(new EpollEventDispatcher);
        m_context.moveToThread(&m_thread);
        m_thread.start();
    }
    ~LoopThread()
    {
        m_thread.quit();
        m_thread.wait();
    }

    template <typename F> void run(F f) { QMetaObject::invokeMethod(&m_context, f, Qt::BlockingQueuedConnection); }
    QObject* context() { return &m_context; }

private:
    QThread m_thread;
    QObject m_context;
};

struct SocketPair
{
    SocketPair() { QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) == 0); }
    ~SocketPair()
    {
        for (int fd : fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }
    void closeAll()
    {
        for (int& fd : fds)
            ::close(std::exchange(fd, -1));
    }
    int fds[2] = {-1, -1};
};

} // namespace epoll_dispatcher_helpers

using namespace epoll_dispatcher_helpers;

class TestEpollEventDispatcher : public QObject
{
    Q_OBJECT

private slots:
    void postedEventsFromOtherThreadsWakeTheLoop()
    {
        LoopThread loop;
        std::atomic<int> calls{0};
        for (int i = 0; i < 100; ++i)
            QMetaObject::invokeMethod(
                loop.context(), [&] { ++calls; }, Qt::QueuedConnection);
        QTRY_COMPARE(calls.load(), 100);
    }

    void timersFireRepeatAndStop()
    {
        LoopThread loop;
        std::atomic<int> singleShots{0};
        std::atomic<int> repeats{0};
        QTimer* repeating = nullptr;
        loop.run([&] {
            QTimer::singleShot(30, loop.context(), [&] { ++singleShots; });
            repeating = new QTimer(loop.context());
            QObject::connect(repeating, &QTimer::timeout, repeating, [&] {
                if (++repeats == 3)
                    repeating->stop(); // stopped from its own timeout
            });
            repeating->start(10);
        });
        QTRY_COMPARE(singleShots.load(), 1);
        QTRY_COMPARE(repeats.load(), 3);
        bool registered = true;
        loop.run([&] { registered = !QAbstractEventDispatcher::instance()->registeredTimers(repeating).isEmpty(); });
        QVERIFY(!registered); // stopped means unregistered
        QTest::qWait(50);
        QCOMPARE(repeats.load(), 3);
        QCOMPARE(singleShots.load(), 1);
    }

    void aTimerDueLaterDoesNotFireEarly()
    {
        LoopThread loop;
        std::atomic<qint64> firedAfterMs{-1};
        loop.run([&] {
            // A timer is due counting from the time of the pass that started it (LoopClock), which may be a little
            // before the handler that starts it runs.
            const LoopClock::Clock::time_point started = LoopClock::now();
            QTimer::singleShot(120, Qt::PreciseTimer, loop.context(), [&firedAfterMs, started] {
                firedAfterMs =
                    std::chrono::duration_cast<std::chrono::milliseconds>(LoopClock::Clock::now() - started).count();
            });
        });
        QTRY_VERIFY(firedAfterMs.load() >= 0);
        QVERIFY2(firedAfterMs.load() >= 119, qPrintable(QString::number(firedAfterMs.load())));
    }

    void socketNotifiersFollowEnableAndDisable()
    {
        LoopThread loop;
        SocketPair pair;
        std::atomic<int> readable{0};
        QSocketNotifier* notifier = nullptr;
        loop.run([&] {
            notifier = new QSocketNotifier(pair.fds[0], QSocketNotifier::Read, loop.context());
            QObject::connect(notifier, &QSocketNotifier::activated, notifier, [&] {
                char buffer[64];
                while (::read(pair.fds[0], buffer, sizeof buffer) > 0) {
                }
                ++readable;
            });
        });
        QCOMPARE(::write(pair.fds[1], "x", 1), 1);
        QTRY_COMPARE(readable.load(), 1);

        loop.run([&] { notifier->setEnabled(false); });
        QCOMPARE(::write(pair.fds[1], "y", 1), 1);
        QTest::qWait(50);
        QCOMPARE(readable.load(), 1); // disabled: the byte waits

        loop.run([&] { notifier->setEnabled(true); });
        QTRY_COMPARE(readable.load(), 2); // level-triggered: the waiting byte is reported once enabled
        loop.run([&] { delete notifier; });
    }

    void aReusedDescriptorNumberIsWatchedAgain()
    {
        LoopThread loop;
        std::atomic<int> first{0};
        std::atomic<int> second{0};
        auto watchRead = [&](int fd, std::atomic<int>& counter) {
            auto* notifier = new QSocketNotifier(fd, QSocketNotifier::Read, loop.context());
            QObject::connect(notifier, &QSocketNotifier::activated, notifier, [fd, &counter] {
                char buffer[64];
                while (::read(fd, buffer, sizeof buffer) > 0) {
                }
                ++counter;
            });
            return notifier;
        };

        SocketPair old;
        std::optional<SocketPair> fresh;
        QSocketNotifier* oldNotifier = nullptr;
        QSocketNotifier* notifier = nullptr;
        loop.run([&] { oldNotifier = watchRead(old.fds[0], first); }); // the next pass hands it to the kernel
        // All within one pass of the loop, as when a connection closes and the next one is accepted: the notifier is
        // switched off, the descriptor closed, and the kernel hands its number to a new socket that is watched.
        loop.run([&] {
            const int reusedFd = old.fds[0];
            delete oldNotifier;
            old.closeAll();
            fresh.emplace();
            QCOMPARE(fresh->fds[0], reusedFd); // the lowest free number: the same one
            notifier = watchRead(fresh->fds[0], second);
        });
        QCOMPARE(::write(fresh->fds[1], "z", 1), 1);
        QTRY_COMPARE(second.load(), 1);
        QCOMPARE(first.load(), 0);
        loop.run([&] { delete notifier; });
    }

    void quitEndsTheLoop()
    {
        QThread thread;
        thread.setEventDispatcher(new EpollEventDispatcher);
        thread.start();
        QTest::qWait(20); // blocked in epoll_wait with no timer
        thread.quit();
        QVERIFY(thread.wait(5'000));
    }

    // LoopClock: the clock is read when the loop wakes, and everything a pass does sees that time; a later pass reads
    // it again. A thread without this dispatcher reads the clock at each call.
    void aPassReadsTheClockOnce()
    {
        using Clock = LoopClock::Clock;
        LoopThread loop;
        Clock::time_point started, timerPass, again;
        std::atomic<bool> fired{false};
        loop.run([&] {
            started = LoopClock::now();
            // A timer fires in a pass that began when the loop woke from its wait.
            QTimer::singleShot(20, Qt::PreciseTimer, loop.context(), [&] {
                timerPass = LoopClock::now();
                const Clock::time_point real = Clock::now();
                while (Clock::now() == real) {
                } // the clock moves on; the pass's time does not
                again = LoopClock::now();
                fired.store(true, std::memory_order_release);
            });
        });
        QTRY_VERIFY(fired.load(std::memory_order_acquire));
        QVERIFY(again == timerPass);
        // Due 20 ms after the whole millisecond it was started in.
        QVERIFY2(timerPass - started >= std::chrono::milliseconds(19), "a later pass has a later time");

        const Clock::time_point here = LoopClock::now();
        const Clock::time_point real = Clock::now();
        while (Clock::now() == real) {
        }
        QVERIFY2(LoopClock::now() > here, "off the dispatcher's thread, now() is the clock");
    }

    // A long pass moves its time on (every 16 events): a timeout that the last of many busy handlers starts counts
    // from about when it was started, not from when the pass began.
    void aLongPassReadsTheClockAgain()
    {
        using Clock = LoopClock::Clock;
        constexpr int kSockets = 64;
        constexpr auto kHandlerWork = std::chrono::milliseconds(2);
        std::vector<std::unique_ptr<SocketPair>> pairs; // outlives the loop and its notifiers
        for (int i = 0; i < kSockets; ++i) {
            pairs.push_back(std::make_unique<SocketPair>());
            QCOMPARE(::write(pairs.back()->fds[1], "x", 1), 1); // every one readable at the next wait
        }
        LoopThread loop;
        std::atomic<qint64> firedAfterMs{-1};
        loop.run([&] {
            auto handled = std::make_shared<int>(0);
            for (const auto& pair : pairs) {
                auto* notifier = new QSocketNotifier(pair->fds[0], QSocketNotifier::Read, loop.context());
                QObject::connect(notifier, &QSocketNotifier::activated, notifier, [&, notifier, handled] {
                    notifier->setEnabled(false);
                    const Clock::time_point until = Clock::now() + kHandlerWork;
                    while (Clock::now() < until) {
                    }
                    if (++*handled < kSockets)
                        return;
                    const Clock::time_point started = Clock::now();
                    QTimer::singleShot(150, Qt::PreciseTimer, loop.context(), [&firedAfterMs, started] {
                        firedAfterMs =
                            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
                    });
                });
            }
        });
        QTRY_VERIFY(firedAfterMs.load() >= 0);
        // Counted from the start of the pass, 63 handlers of 2 ms before it, the timer fired after about 22 ms.
        QVERIFY2(firedAfterMs.load() >= 100, qPrintable(QString::number(firedAfterMs.load())));
    }
};

GATEHOUSE_TEST_MAIN(TestEpollEventDispatcher)
#include "TestEpollEventDispatcher.moc"
