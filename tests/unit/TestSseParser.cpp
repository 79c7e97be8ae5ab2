#include "TestRegistry.h"
#include "providers/SseParser.h"

#include <QTest>

namespace {

struct Seen
{
    QByteArray type;
    QByteArray data;
    bool operator==(const Seen&) const = default;
};

// Dispatched events, with the input fed in pieces of pieceSize bytes (0: all at once).
QList<Seen> parse(const QByteArray& input, qsizetype pieceSize,
                  qsizetype maxEventBytes = SseParser::kDefaultMaxEventBytes)
{
    SseParser parser(maxEventBytes);
    QList<Seen> seen;
    const auto onBlock = [&](const SseEvent& event, qsizetype) {
        if (event.dispatched)
            seen.append({event.type, event.data});
    };
    const qsizetype step = pieceSize > 0 ? pieceSize : qMax<qsizetype>(1, input.size());
    for (qsizetype at = 0; at < input.size(); at += step)
        parser.feed(QByteArrayView(input).sliced(at, qMin(step, input.size() - at)), onBlock);
    parser.finish(onBlock);
    return seen;
}

} // namespace

Q_DECLARE_METATYPE(QList<Seen>)

class TestSseParser : public QObject
{
    Q_OBJECT

private slots:
    void spec_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QList<Seen>>("expected");
        QTest::newRow("lf") << QByteArray("data: a\n\ndata: b\n\n") << QList<Seen>{{"", "a"}, {"", "b"}};
        QTest::newRow("crlf") << QByteArray("data: a\r\n\r\ndata: b\r\n\r\n") << QList<Seen>{{"", "a"}, {"", "b"}};
        QTest::newRow("cr") << QByteArray("data: a\r\rdata: b\r\r") << QList<Seen>{{"", "a"}, {"", "b"}};
        QTest::newRow("mixed line ends") << QByteArray("data: a\r\ndata: b\r\rdata: c\n\r\n")
                                         << QList<Seen>{{"", "a\nb"}, {"", "c"}};
        QTest::newRow("multi-line data joined by LF")
            << QByteArray("data: one\ndata:two\ndata:  three\n\n") << QList<Seen>{{"", "one\ntwo\n three"}};
        QTest::newRow("event names") << QByteArray("event: message_start\ndata: {}\n\nevent:ping\ndata: x\n\n")
                                     << QList<Seen>{{"message_start", "{}"}, {"ping", "x"}};
        QTest::newRow("event name does not leak into the next block")
            << QByteArray("event: a\ndata: 1\n\ndata: 2\n\n") << QList<Seen>{{"a", "1"}, {"", "2"}};
        QTest::newRow("comments and unknown fields")
            << QByteArray(": keep-alive\n\nid: 7\nretry: 100\nfoo: bar\ndata: x\n: inside\n\n")
            << QList<Seen>{{"", "x"}};
        QTest::newRow("empty data dispatches an empty event")
            << QByteArray("data\n\ndata:\n\n") << QList<Seen>{{"", ""}, {"", ""}};
        QTest::newRow("block without data is not dispatched")
            << QByteArray("event: x\n\n\n\ndata: y\n\n") << QList<Seen>{{"", "y"}};
        QTest::newRow("unterminated block is dropped at the end")
            << QByteArray("data: a\n\ndata: partial") << QList<Seen>{{"", "a"}};
        QTest::newRow("final CR ends the stream's last blank line")
            << QByteArray("data: a\r\r") << QList<Seen>{{"", "a"}};
        QTest::newRow("colon in value") << QByteArray("data: {\"a\":1}\n\n") << QList<Seen>{{"", "{\"a\":1}"}};
    }

    void spec()
    {
        QFETCH(QByteArray, input);
        QFETCH(QList<Seen>, expected);
        for (qsizetype size = 0; size <= input.size(); ++size)
            QCOMPARE(parse(input, size), expected);
    }

    void blockEndsAreOffsetsInTheFedBytes()
    {
        const QByteArray input = "data: a\r\n\r\n: ping\n\ndata: b\r";
        SseParser parser;
        QList<qsizetype> ends;
        const auto onBlock = [&](const SseEvent&, qsizetype end) { ends.append(end); };
        parser.feed(QByteArrayView(input).first(10), onBlock); // "data: a\r\n\r": the blank line's CR is last
        QVERIFY(ends.isEmpty());
        parser.feed(QByteArrayView(input).sliced(10), onBlock); // "\n: ping\n\ndata: b\r"
        QCOMPARE(ends, (QList<qsizetype>{1, 9}));
        parser.feed("\r", onBlock); // a blank line, but an LF may still follow
        QCOMPARE(ends, (QList<qsizetype>{1, 9}));
        parser.feed("\ndata: c\n\n", onBlock);
        QCOMPARE(ends, (QList<qsizetype>{1, 9, 1, 10}));
    }

    void oversizedEventIsSkippedNotBuffered()
    {
        const QByteArray big(5000, 'x');
        const QByteArray input = "data: small\n\ndata: " + big + "\n\ndata: " + big.left(2000) +
                                 "\ndata: " + big.left(2000) + "\n\ndata: after\n\n";
        for (qsizetype size : {0, 1, 7, 100, 4096}) {
            SseParser parser(3000);
            QList<QByteArray> data;
            int oversized = 0;
            const auto onBlock = [&](const SseEvent& event, qsizetype) {
                if (event.dispatched)
                    data.append(event.data);
                oversized += event.oversized;
            };
            const qsizetype step = size > 0 ? size : input.size();
            for (qsizetype at = 0; at < input.size(); at += step)
                parser.feed(QByteArrayView(input).sliced(at, qMin(step, input.size() - at)), onBlock);
            QCOMPARE(data, (QList<QByteArray>{"small", "after"}));
            QCOMPARE(oversized, 2);
        }
    }
};

GATEHOUSE_TEST_MAIN(TestSseParser)
#include "TestSseParser.moc"
