#include "TestRegistry.h"
#include "app/OpenFileLimit.h"

#include <QScopeGuard>
#include <QTest>

#include <sys/resource.h>

// The gateway starts with the soft open-file limit at the hard one, whatever the shell gave it.
class TestOpenFileLimit : public QObject
{
    Q_OBJECT

private slots:
    void softLimitIsRaisedToTheHardOne()
    {
        rlimit limit{};
        QCOMPARE(getrlimit(RLIMIT_NOFILE, &limit), 0);
        if (limit.rlim_max <= 1024)
            QSKIP("the hard limit leaves nothing to raise");
        const rlimit shellLike{1024, limit.rlim_max};
        QCOMPARE(setrlimit(RLIMIT_NOFILE, &shellLike), 0);
        const auto restore = qScopeGuard([limit] { setrlimit(RLIMIT_NOFILE, &limit); });

        const OpenFileLimit::Limits raised = OpenFileLimit::raise();
        QCOMPARE(raised.before, quint64(1024));
        QCOMPARE(raised.now, quint64(limit.rlim_max));
        QCOMPARE(raised.hard, quint64(limit.rlim_max));
        rlimit after{};
        QCOMPARE(getrlimit(RLIMIT_NOFILE, &after), 0);
        QCOMPARE(after.rlim_cur, limit.rlim_max);
        QCOMPARE(OpenFileLimit::raise().before, quint64(limit.rlim_max)); // nothing left to raise
    }
};

GATEHOUSE_TEST_MAIN(TestOpenFileLimit)
#include "TestOpenFileLimit.moc"
