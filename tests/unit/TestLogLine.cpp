#include "TestRegistry.h"
#include "common/Logging.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryFile>
#include <QTest>

#include <array>
#include <cstdio>
#include <functional>
#include <thread>
#include <unistd.h>
#include <vector>

// LogLine as the installed handler writes it to stderr, in text and in JSON: each value reads back as it was given,
// and no value can forge a line or a field.
class TestLogLine : public QObject
{
    Q_OBJECT

private:
    // What `log` writes to stderr through the installed handler in `format`, as lines. The handler stays installed
    // for the rest of this process (each test class runs in its own): LogLine writes to stderr from then on.
    static QList<QByteArray> written(Logging::Format format, const std::function<void()>& log)
    {
        QTemporaryFile file;
        if (!file.open())
            qFatal("no temporary file");
        const QtMessageHandler previous = qInstallMessageHandler(nullptr);
        std::fflush(stderr);
        const int savedStderr = dup(STDERR_FILENO);
        dup2(file.handle(), STDERR_FILENO);
        Logging::install(QStringLiteral("info"), format);
        log();
        Logging::flush();
        std::fflush(stderr);
        dup2(savedStderr, STDERR_FILENO);
        close(savedStderr);
        qInstallMessageHandler(previous);
        QFile read(file.fileName());
        read.open(QIODevice::ReadOnly);
        QList<QByteArray> lines = read.readAll().split('\n');
        if (!lines.isEmpty() && lines.back().isEmpty())
            lines.removeLast();
        return lines;
    }

    // Every kind of value a field takes, each one that a careless format would let through.
    static void logEveryKind()
    {
        LogLine(lcAccess(), QtInfoMsg, u"request")
            .field("plain", u"gpt-4o-mini")
            .field("path", QByteArray("/v1/chat/completions"))
            .field("spaced", u"two words")
            .field("forged", u"x\nlevel=error injected=1")
            .field("quoted", QByteArray("say \"hi\" \\ back"))
            .field("closing", u"x\" injected=\"1")  // a quote alone, trying to end the value early
            .field("folder", QByteArray("C:\\dir")) // a backslash alone
            .field("empty", u"")
            .field("accented", u"gh-Zé…")
            .field("bytes", QByteArray("caf\xc3\xa9"))
            .field("broken", QByteArray("a\xff"
                                        "b"))
            .field("control", u"bell\x07tab\t")
            .field("mixed", QStringView(u"\"\u00e9\x7f\0", 4)) // not ASCII, and to escape: quote, DEL, NUL
            .field("number", qint64(-42))
            .field("count", 7)
            .field("word", "literal")
            .field("text", QStringLiteral("a b"))
            .field("flag", true);
    }

private slots:
    // Before the handler is installed (a test with a handler of its own), a line reaches Qt's handler in text form.
    // First: the other slots install the handler for the rest of the process.
    void anotherHandlerGetsTheTextForm()
    {
        static QStringList seen;
        const QtMessageHandler previous =
            qInstallMessageHandler([](QtMsgType, const QMessageLogContext& context, const QString& message) {
                if (QByteArrayView(context.category) == "gatehouse.access")
                    seen << message;
            });
        LogLine(lcAccess(), QtInfoMsg, u"request").field("spaced", u"two words").field("count", 7);
        qInstallMessageHandler(previous);
        QCOMPARE(seen, QStringList{QStringLiteral("request spaced=\"two words\" count=7")});
    }

    void textWritesWordsBareAndQuotesTheRest()
    {
        const QList<QByteArray> lines = written(Logging::Format::Text, logEveryKind);
        QCOMPARE(lines.size(), 1);
        const QByteArray expected =
            "info gatehouse.access: request plain=gpt-4o-mini path=/v1/chat/completions "
            "spaced=\"two words\" forged=\"x\\nlevel=error injected=1\" "
            "quoted=\"say \\\"hi\\\" \\\\ back\" closing=\"x\\\" injected=\\\"1\" folder=\"C:\\\\dir\" empty=\"\" "
            "accented=\"gh-Z\xc3\xa9\xe2\x80\xa6\" "
            "bytes=\"caf\xc3\xa9\" broken=\"a\xef\xbf\xbd"
            "b\" control=\"bell\\u0007tab\\t\" mixed=\"\\\"\xc3\xa9\\u007f\\u0000\" number=-42 count=7 word=literal "
            "text=\"a b\" flag=true";
        QVERIFY2(lines.first().endsWith(expected), lines.first().constData());
    }

    void jsonReadsBackEveryValue()
    {
        const QList<QByteArray> lines = written(Logging::Format::Json, logEveryKind);
        QCOMPARE(lines.size(), 1);
        QJsonParseError error;
        const QJsonObject line = QJsonDocument::fromJson(lines.first(), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, lines.first().constData());
        QCOMPARE(line[u"level"].toString(), u"info");
        QCOMPARE(line[u"category"].toString(), u"gatehouse.access");
        QCOMPARE(line[u"message"].toString(), u"request");
        QCOMPARE(line[u"plain"].toString(), u"gpt-4o-mini");
        QCOMPARE(line[u"path"].toString(), u"/v1/chat/completions");
        QCOMPARE(line[u"spaced"].toString(), u"two words");
        QCOMPARE(line[u"forged"].toString(), u"x\nlevel=error injected=1");
        QCOMPARE(line[u"quoted"].toString(), u"say \"hi\" \\ back");
        QCOMPARE(line[u"closing"].toString(), u"x\" injected=\"1");
        QCOMPARE(line[u"folder"].toString(), u"C:\\dir");
        QVERIFY(line[u"empty"].isString());
        QCOMPARE(line[u"empty"].toString(), QString());
        QCOMPARE(line[u"accented"].toString(), u"gh-Zé…");
        QCOMPARE(line[u"bytes"].toString(), u"café");
        QCOMPARE(line[u"broken"].toString(), u"a\uFFFDb");
        QCOMPARE(line[u"control"].toString(), u"bell\x07tab\t");
        QCOMPARE(line[u"mixed"].toString(), QStringView(u"\"\u00e9\x7f\0", 4));
        QCOMPARE(line[u"number"].toInteger(), -42);
        QCOMPARE(line[u"count"].toInteger(), 7);
        QCOMPARE(line[u"word"].toString(), u"literal");
        QCOMPARE(line[u"text"].toString(), u"a b");
        QCOMPARE(line[u"flag"].toBool(), true);
        QCOMPARE(line.size(), 22); // time, level, category, message and the eighteen fields: nothing injected
    }

    // A line longer than LogLine's own buffer (768 bytes) moves to a larger one, wherever a value crosses its end: a
    // first value that grows by a byte a line moves that point across each kind of value after it, plain, escaped,
    // converted from UTF-16, quoted after the fact, a number and a flag; a last one takes the line far past it.
    void aLongLineIsWrittenWhole_data()
    {
        QTest::addColumn<int>("format");
        QTest::newRow("text") << int(Logging::Format::Text);
        QTest::newRow("json") << int(Logging::Format::Json);
    }
    void aLongLineIsWrittenWhole()
    {
        QFETCH(int, format);
        constexpr int kLines = 100;
        const QString tail(3000, u'z');
        const QList<QByteArray> lines = written(Logging::Format(format), [&] {
            for (int i = 0; i < kLines; ++i)
                LogLine(lcAccess(), QtInfoMsg, u"request")
                    .field("first", QString(660 + i, u'a'))
                    .field("escaped", QByteArray("a\"b"))
                    .field("accented", u"\u00e9t\u00e9")
                    .field("spaced", u"a b")
                    .field("plain", u"gpt-4o")
                    .field("count", qint64(-1234567890123))
                    .field("flag", true)
                    .field("tail", tail);
        });
        QCOMPARE(lines.size(), kLines);
        for (int i = 0; i < kLines; ++i) {
            const QByteArray first(660 + i, 'a');
            if (Logging::Format(format) == Logging::Format::Text) {
                const QByteArray expected = " request first=" + first +
                                            " escaped=\"a\\\"b\" accented=\"\xc3\xa9t\xc3\xa9\" spaced=\"a b\" "
                                            "plain=gpt-4o count=-1234567890123 flag=true tail=" +
                                            tail.toUtf8();
                QVERIFY2(lines.at(i).endsWith(expected), qPrintable(QString::number(i)));
                continue;
            }
            const QJsonObject line = QJsonDocument::fromJson(lines.at(i)).object();
            QCOMPARE(line[u"first"].toString(), QString::fromLatin1(first));
            QCOMPARE(line[u"escaped"].toString(), u"a\"b");
            QCOMPARE(line[u"accented"].toString(), u"\u00e9t\u00e9");
            QCOMPARE(line[u"spaced"].toString(), u"a b");
            QCOMPARE(line[u"plain"].toString(), u"gpt-4o");
            QCOMPARE(line[u"count"].toInteger(), -1234567890123);
            QCOMPARE(line[u"flag"].toBool(), true);
            QCOMPARE(line[u"tail"].toString(), tail);
        }
    }

    // Threads write access lines at once into the batches: none is lost or torn, and each thread's keep their order.
    void accessLinesOfManyThreadsArriveWholeAndInOrder()
    {
        constexpr int kThreads = 3;
        constexpr int kLines = 200;
        const QList<QByteArray> lines = written(Logging::Format::Text, [] {
            std::vector<std::thread> threads;
            for (int t = 0; t < kThreads; ++t) {
                threads.emplace_back([t] {
                    for (int i = 0; i < kLines; ++i)
                        LogLine(lcAccess(), QtInfoMsg, u"request").field("thread", t).field("n", i);
                });
            }
            for (std::thread& thread : threads)
                thread.join();
        });
        QCOMPARE(lines.size(), kThreads * kLines);
        const QRegularExpression fields(QStringLiteral(" thread=(\\d) n=(\\d+)$"));
        std::array<int, kThreads> next{};
        for (const QByteArray& line : lines) {
            const QRegularExpressionMatch match = fields.match(QString::fromUtf8(line));
            QVERIFY2(match.hasMatch(), line.constData());
            QCOMPARE(match.captured(2).toInt(), next.at(size_t(match.captured(1).toInt()))++);
        }
    }
};

GATEHOUSE_TEST_MAIN(TestLogLine)
#include "TestLogLine.moc"
