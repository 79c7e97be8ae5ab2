#include "TestRegistry.h"
#include "common/PrometheusText.h"

#include <QTest>

class TestPrometheusText : public QObject
{
    Q_OBJECT

private slots:
    void writesFamiliesAndEscapesLabelValues()
    {
        PrometheusText out;
        out.family("demo_total", "counter", "A help text\\with a backslash\nand a line");
        out.sample("demo_total", {{"name", QStringLiteral("a \"quoted\" \\ value\nnext")}}, 3);
        out.sample("demo_total", {}, 0.25);
        QCOMPARE(out.text(), QByteArray("# HELP demo_total A help text\\\\with a backslash\\nand a line\n"
                                        "# TYPE demo_total counter\n"
                                        "demo_total{name=\"a \\\"quoted\\\" \\\\ value\\nnext\"} 3\n"
                                        "demo_total 0.25\n"));
    }

    void histogramBucketsAreCumulative()
    {
        Histogram latencies;
        latencies.observe(0.003); // <= 0.005
        latencies.observe(0.005); // <= 0.005: a bound includes its value
        latencies.observe(0.7);   // <= 1
        latencies.observe(1000);  // only +Inf
        PrometheusText out;
        out.histogram("demo_seconds", {{"provider", QStringLiteral("openai")}}, latencies);
        const QList<QByteArray> lines = out.text().split('\n');
        QCOMPARE(lines.value(0), QByteArray("demo_seconds_bucket{provider=\"openai\",le=\"0.005\"} 2"));
        QCOMPARE(lines.value(6), QByteArray("demo_seconds_bucket{provider=\"openai\",le=\"0.5\"} 2"));
        QCOMPARE(lines.value(7), QByteArray("demo_seconds_bucket{provider=\"openai\",le=\"1\"} 3"));
        QCOMPARE(lines.value(14), QByteArray("demo_seconds_bucket{provider=\"openai\",le=\"300\"} 3"));
        QCOMPARE(lines.value(15), QByteArray("demo_seconds_bucket{provider=\"openai\",le=\"+Inf\"} 4"));
        QCOMPARE(lines.value(16), QByteArray("demo_seconds_sum{provider=\"openai\"} 1000.708"));
        QCOMPARE(lines.value(17), QByteArray("demo_seconds_count{provider=\"openai\"} 4"));
    }
};

GATEHOUSE_TEST_MAIN(TestPrometheusText)
#include "TestPrometheusText.moc"
