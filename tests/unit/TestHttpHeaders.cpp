#include "TestRegistry.h"
#include "http/HttpHeaders.h"

#include <QTest>

namespace {

QByteArray wire(const HttpHeaders& headers)
{
    QByteArray out;
    headers.writeTo(out, [](QByteArrayView) { return false; });
    return out;
}

} // namespace

class TestHttpHeaders : public QObject
{
    Q_OBJECT

private slots:
    void lookupsIgnoreCaseAndKeepOrder()
    {
        const HttpHeaders headers{{"Content-Type", "application/json"}, {"X-Tag", "a"}, {"x-tag", "b"}};
        QCOMPARE(headers.size(), 3);
        QCOMPARE(headers.value("content-type").toByteArray(), QByteArray("application/json"));
        QCOMPARE(headers.value("X-TAG").toByteArray(), QByteArray("a"));
        const QList<QByteArrayView> tags = headers.values("x-tag");
        QCOMPARE(tags.size(), 2);
        QCOMPARE(tags.at(1).toByteArray(), QByteArray("b"));
        QCOMPARE(wire(headers), QByteArray("Content-Type: application/json\r\nX-Tag: a\r\nx-tag: b\r\n"));
    }

    void namesDifferOnlyInTheCaseOfLetters()
    {
        QVERIFY(HttpHeaders::sameName("Content-Type", "content-TYPE"));
        QVERIFY(!HttpHeaders::sameName("Content-Type", "Content-Typ"));
        QVERIFY(!HttpHeaders::sameName("x-a@", "x-a`")); // '@' and '`' differ in the case bit but are no letters
        QVERIFY(!HttpHeaders::sameName("x-[", "x-{"));
        QVERIFY(!HttpHeaders::sameName("a-b", "a\rb")); // '-' | 0x20 is '-', '\r' | 0x20 is '-'
        QVERIFY(HttpHeaders::sameName("", ""));
    }

    void absentIsNullAndEmptyIsNot()
    {
        const HttpHeaders headers{{"X-Empty", ""}};
        QVERIFY(headers.value("x-absent").isNull());
        QVERIFY(!headers.value("x-empty").isNull());
        QVERIFY(headers.value("x-empty").isEmpty());
        QVERIFY(headers.contains("X-EMPTY"));
        QVERIFY(!headers.contains("x-absent"));
    }

    void fieldsArriveInPieces()
    {
        HttpHeaders headers;
        headers.append("Con", {});
        headers.appendToLastName("tent-Len");
        headers.appendToLastName("gth");
        headers.appendToLastValue("12");
        headers.appendToLastValue("34");
        headers.append("Server", {});
        headers.appendToLastValue("nginx");
        QCOMPARE(wire(headers), QByteArray("Content-Length: 1234\r\nServer: nginx\r\n"));
    }

    // Fields written after the start line of a head, into the room reserved for them, but those the caller skips.
    void fieldsAreWrittenAsLinesOfAHead()
    {
        const HttpHeaders headers{{"Host", "example.com"}, {"X-Drop", "1"}, {"Accept", ""}, {"x-drop", "2"}};
        QByteArray head = "GET / HTTP/1.1\r\n";
        head.reserve(head.size() + headers.lineBytesBound());
        const char* room = head.constData();
        headers.writeTo(head, [](QByteArrayView name) { return HttpHeaders::sameName(name, "x-drop"); });
        QCOMPARE(head, QByteArray("GET / HTTP/1.1\r\nHost: example.com\r\nAccept: \r\n"));
        QVERIFY(head.constData() == room); // not reallocated (QCOMPARE would compare the strings)
    }

    // A head parsed whole: the fields are places in it. A value whose pieces lie apart (here around a fold) is put
    // together, and the headers change like any others.
    void aHeadReadWholeIsWhereItsFieldsAre()
    {
        const QByteArray head = "GET / HTTP/1.1\r\nHost: example.com\r\nX-Folded: one\r\n two\r\nAccept:\r\n\r\n";
        const auto at = [&head](QByteArrayView bytes) { return head.indexOf(bytes); };
        HttpHeaders headers;
        headers.readFrom(QByteArray(head.constData(), head.size()), 2); // its own bytes; too little room for 3 fields
        headers.appendNameAt(at("Host"), 4);
        headers.appendToLastValueAt(at("example"), 7);
        headers.appendToLastValueAt(at(".com"), 4);
        headers.appendNameAt(at("X-Folded"), 8);
        headers.appendToLastValueAt(at("one"), 3);
        headers.appendToLastValueAt(at("two"), 3);
        headers.appendNameAt(at("Accept"), 6);
        QCOMPARE(wire(headers), QByteArray("Host: example.com\r\nX-Folded: onetwo\r\nAccept: \r\n"));
        QVERIFY(headers.value("accept").isEmpty() && !headers.value("accept").isNull());

        HttpHeaders copy = headers;
        copy.set("Host", "other.example");
        QCOMPARE(headers.value("host").toByteArray(), QByteArray("example.com"));
        QCOMPARE(wire(copy), QByteArray("X-Folded: onetwo\r\nAccept: \r\nHost: other.example\r\n"));
    }

    // A field copied within the same headers is a view into the buffer that the append grows: it must not be read
    // from where the buffer was before it moved.
    void aFieldCopiedFromTheSameHeadersSurvivesTheBufferGrowing()
    {
        HttpHeaders headers;
        headers.append("X-Long", QByteArray(200, 'v'));
        for (int i = 0; i < 8; ++i) {
            const HttpHeaders::Field last = headers.at(headers.size() - 1);
            headers.append(last.name, last.value);
        }
        QCOMPARE(headers.size(), 9);
        for (const auto& [name, value] : headers) {
            QCOMPARE(name.toByteArray(), QByteArray("X-Long"));
            QCOMPARE(value.toByteArray(), QByteArray(200, 'v'));
        }
        headers.set("X-Copy", headers.value("x-long"));
        QCOMPARE(headers.size(), 10);
        QCOMPARE(headers.value("x-copy").toByteArray(), QByteArray(200, 'v'));
    }

    void setAndRemoveReplaceEveryFieldOfTheName()
    {
        HttpHeaders headers{{"A", "1"}, {"b", "2"}, {"a", "3"}};
        headers.set("a", "4");
        QCOMPARE(wire(headers), QByteArray("b: 2\r\na: 4\r\n"));
        headers.remove("B");
        QCOMPARE(wire(headers), QByteArray("a: 4\r\n"));
        // Removed fields leave their bytes behind, which equality does not see.
        QVERIFY(headers == HttpHeaders({{"a", "4"}}));
        QVERIFY(headers != HttpHeaders({{"A", "4"}}));
    }

    void copiesAreIndependent()
    {
        HttpHeaders original{{"Host", "example.com"}};
        HttpHeaders copy = original;
        copy.append("X-Extra", "1");
        copy.set("Host", "other.example");
        QCOMPARE(wire(original), QByteArray("Host: example.com\r\n"));
        QCOMPARE(wire(copy), QByteArray("X-Extra: 1\r\nHost: other.example\r\n"));
    }

    void aFilteredCopyLeavesTheOriginal()
    {
        const HttpHeaders original{{"Connection", "keep-alive"}, {"Content-Type", "text/plain"}, {"TE", "trailers"}};
        HttpHeaders filtered = original;
        filtered.removeIf([](QByteArrayView name) { return HttpHeaders::sameName(name, "te"); });
        filtered.removeIf([](QByteArrayView name) { return name.startsWith("X-"); }); // matches none
        filtered.remove("connection");
        QCOMPARE(wire(filtered), QByteArray("Content-Type: text/plain\r\n"));
        QCOMPARE(original.size(), 3);
        QCOMPARE(wire(original), QByteArray("Connection: keep-alive\r\nContent-Type: text/plain\r\nTE: trailers\r\n"));
    }

    void tokensOfAListValue()
    {
        const HttpHeaders headers{{"Connection", "keep-alive, Upgrade"}, {"Connection", " close "}};
        QVERIFY(headers.hasToken("connection", "upgrade"));
        QVERIFY(headers.hasToken("connection", "CLOSE"));
        QVERIFY(!headers.hasToken("connection", "keep"));
    }
};

GATEHOUSE_TEST_MAIN(TestHttpHeaders)
#include "TestHttpHeaders.moc"
