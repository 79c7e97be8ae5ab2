#include "TestRegistry.h"
#include "http/Timeout.h"

#include <QElapsedTimer>
#include <QTest>

// Timeout: moved and stopped without restarting its timer, it still fires at the last time set, and only then.
class TestTimeout : public QObject
{
    Q_OBJECT

private:
    // Two timeouts on one receiver; records which expired, in order, and when.
    class Receiver : public QObject
    {
    public:
        Timeout first;
        Timeout second;
        QList<QPair<int, qint64>> expired; // (1 or 2, ms since clock start)
        QElapsedTimer clock;

    protected:
        void timerEvent(QTimerEvent* event) override
        {
            if (first.expire(event, this))
                expired.append({1, clock.elapsed()});
            if (second.expire(event, this))
                expired.append({2, clock.elapsed()});
        }
    };

private slots:
    void movedLaterFiresAtTheLaterTime()
    {
        Receiver receiver;
        receiver.clock.start();
        receiver.first.start(50, &receiver);
        receiver.first.start(300, &receiver); // the timer armed for 50 ms stays and re-arms itself
        QVERIFY(receiver.first.isActive());
        QTRY_COMPARE(receiver.expired.size(), 1);
        QVERIFY2(receiver.expired.first().second >= 300, "fired before its due time");
        QVERIFY(!receiver.first.isActive());
    }

    void movedEarlierFiresAtTheEarlierTime()
    {
        Receiver receiver;
        receiver.clock.start();
        receiver.first.start(60'000, &receiver);
        receiver.first.start(50, &receiver);
        QTRY_COMPARE(receiver.expired.size(), 1); // long before the first time set (QTRY waits 5 s at most)
        QVERIFY(receiver.expired.first().second >= 50);
    }

    void stoppedNeverFires()
    {
        Receiver receiver;
        receiver.clock.start();
        receiver.first.start(50, &receiver);
        receiver.first.stop();
        QVERIFY(!receiver.first.isActive());
        receiver.second.start(200, &receiver); // a witness: when it has fired, the stopped one would have long ago
        QTRY_COMPARE(receiver.expired.size(), 1);
        QCOMPARE(receiver.expired.first().first, 2);
    }

    void restartedAfterExpiryFiresAgain()
    {
        Receiver receiver;
        receiver.clock.start();
        receiver.first.start(20, &receiver);
        QTRY_COMPARE(receiver.expired.size(), 1);
        receiver.first.start(20, &receiver);
        QTRY_COMPARE(receiver.expired.size(), 2);
        QCOMPARE(receiver.expired.last().first, 1);
    }
};

GATEHOUSE_TEST_MAIN(TestTimeout)
#include "TestTimeout.moc"
