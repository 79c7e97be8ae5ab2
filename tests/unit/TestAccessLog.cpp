#include "TestRegistry.h"
#include "proxy/AccessLog.h"
#include "storage/TraceRecord.h"

#include <QTest>

namespace {

QStringList g_lines; // access lines seen by the message handler below

void collect(QtMsgType, const QMessageLogContext& context, const QString& message)
{
    if (context.category && QByteArrayView(context.category) == "gatehouse.access")
        g_lines << message;
}

TraceRecord trace(bool success)
{
    TraceRecord record;
    record.requestId = "req-1";
    record.method = "POST";
    record.path = "/v1/chat/completions";
    record.status = success ? 200 : 502;
    record.success = success;
    record.errorKind = success ? QString() : QStringLiteral("upstream_connect");
    return record;
}

} // namespace

// Which requests the access log writes, per log.access and log.access_sample.
class TestAccessLog : public QObject
{
    Q_OBJECT

private:
    QtMessageHandler m_previous = nullptr;

    static int linesFor(Config::AccessLog mode, int sample, int successes, int failures)
    {
        g_lines.clear();
        AccessLog log(mode, sample);
        for (int i = 0; i < successes; ++i)
            log.write(trace(true), u"gh-AbCdEfG", u"openai");
        for (int i = 0; i < failures; ++i)
            log.write(trace(false), u"", u"");
        return int(g_lines.size());
    }

private slots:
    void init() { m_previous = qInstallMessageHandler(collect); }
    void cleanup() { qInstallMessageHandler(m_previous); }

    void everyRequestByDefault()
    {
        QCOMPARE(linesFor(Config::AccessLog::All, 1, 5, 2), 7);
        QVERIFY2(g_lines.first().contains(QLatin1String("key=gh-AbCdEfG")), qPrintable(g_lines.first()));
        QVERIFY2(g_lines.last().contains(QLatin1String("error=upstream_connect")), qPrintable(g_lines.last()));
    }

    void errorsOnlyOrNone()
    {
        QCOMPARE(linesFor(Config::AccessLog::Errors, 1, 5, 2), 2);
        QCOMPARE(linesFor(Config::AccessLog::Off, 1, 5, 2), 0);
    }

    // One success in `sample`; every failure.
    void sampledSuccessesAndEveryFailure()
    {
        QCOMPARE(linesFor(Config::AccessLog::All, 3, 9, 2), 3 + 2);
        QCOMPARE(linesFor(Config::AccessLog::All, 100, 99, 0), 1);
    }
};

GATEHOUSE_TEST_MAIN(TestAccessLog)
#include "TestAccessLog.moc"
