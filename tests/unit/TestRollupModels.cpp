#include "TestRegistry.h"
#include "common/Durations.h"
#include "storage/RollupModels.h"
#include "storage/TraceRecord.h"

#include <QTest>

namespace {

constexpr qint64 kHour = 500'000 * kHourMs; // some hour's first millisecond

TraceRecord traceOf(const QString& model, qint64 createdAtMs, bool success)
{
    TraceRecord trace;
    trace.model = model;
    trace.createdAtMs = createdAtMs;
    trace.success = success;
    return trace;
}

// Fills the hour starting at `hour` with names first seen on failed requests, up to the bound.
void fillWithFailures(RollupModels& models, qint64 hour)
{
    for (int i = 0; i < RollupModels::kNamesFromFailuresPerHour; ++i)
        QCOMPARE(models.nameFor(traceOf(QStringLiteral("junk-%1").arg(i), hour + i, false)),
                 QStringLiteral("junk-%1").arg(i));
}

} // namespace

// What the statistics keep apart of the model names clients send (the trace writer's RollupModels).
class TestRollupModels : public QObject
{
    Q_OBJECT

private slots:
    void noModelStaysNone()
    {
        RollupModels models;
        QVERIFY(models.nameFor(traceOf(QString(), kHour, true)).isNull());
        QVERIFY(models.nameFor(traceOf(QStringLiteral(""), kHour, false)).isNull());
    }

    // Failed requests may bring only so many new names into an hour; answered ones still can, and every name in
    // keeps its own rows whatever the outcome of its later requests.
    void failuresHaveTheirOwnBound()
    {
        RollupModels models;
        QCOMPARE(models.nameFor(traceOf(QStringLiteral("gpt-4o"), kHour, true)), QStringLiteral("gpt-4o"));
        fillWithFailures(models, kHour);
        QVERIFY(models.nameFor(traceOf(QStringLiteral("junk-more"), kHour + 1, false)).isNull());
        QCOMPARE(models.nameFor(traceOf(QStringLiteral("claude"), kHour + 2, true)), QStringLiteral("claude"));
        QCOMPARE(models.nameFor(traceOf(QStringLiteral("claude"), kHour + 3, false)), QStringLiteral("claude"));
        QCOMPARE(models.nameFor(traceOf(QStringLiteral("junk-0"), kHour + 4, true)), QStringLiteral("junk-0"));
        // The next hour counts again; the last one stays full.
        QCOMPARE(models.nameFor(traceOf(QStringLiteral("junk-more"), kHour + kHourMs, false)),
                 QStringLiteral("junk-more"));
        QVERIFY(models.nameFor(traceOf(QStringLiteral("junk-more"), kHour + 5, false)).isNull());
    }

    void answeredNamesStopAtTheHoursBound()
    {
        RollupModels models;
        for (int i = 0; i < RollupModels::kNamesPerHour; ++i)
            QCOMPARE(models.nameFor(traceOf(QStringLiteral("m%1").arg(i), kHour + i, true)),
                     QStringLiteral("m%1").arg(i));
        QVERIFY(models.nameFor(traceOf(QStringLiteral("late"), kHour + kMinuteMs, true)).isNull());
        QCOMPARE(models.nameFor(traceOf(QStringLiteral("m7"), kHour + kMinuteMs, false)), QStringLiteral("m7"));
    }

    // Traces of earlier hours keep coming (a long stream's trace carries when it began), in any order: each is
    // counted in its own hour, and an hour older than every one kept takes the place of the oldest other.
    void hoursOutOfOrder()
    {
        RollupModels models;
        for (int h = 0; h < 4; ++h)
            fillWithFailures(models, kHour + h * kHourMs);
        // An earlier hour than all four: kept, the oldest of the four (kHour) dropped to make room.
        QCOMPARE(models.nameFor(traceOf(QStringLiteral("old"), kHour - kHourMs, false)), QStringLiteral("old"));
        QCOMPARE(models.nameFor(traceOf(QStringLiteral("old-2"), kHour - kHourMs, false)), QStringLiteral("old-2"));
        // The other three are still full.
        for (int h = 1; h < 4; ++h)
            QVERIFY(models.nameFor(traceOf(QStringLiteral("junk-more"), kHour + h * kHourMs, false)).isNull());
        // The dropped hour starts counting again (at most kNamesFromFailuresPerHour more, once per drop).
        QCOMPARE(models.nameFor(traceOf(QStringLiteral("junk-more"), kHour, false)), QStringLiteral("junk-more"));
    }
};

GATEHOUSE_TEST_MAIN(TestRollupModels)
#include "TestRollupModels.moc"
