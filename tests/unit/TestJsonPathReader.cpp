#include "TestRegistry.h"
#include "providers/JsonPathReader.h"

#include <QTest>

class TestJsonPathReader : public QObject
{
    Q_OBJECT

private slots:
    void readsOnlyThePaths()
    {
        const JsonPathReader reader({{"model"},
                                     {"usage", "prompt_tokens"},
                                     {"usage", "details", "cached"},
                                     {"missing"},
                                     {"usage", "prompt_tokens"},
                                     {"text"}});
        const QByteArray json =
            "{ \"text\" : \"say \\\"hi\\\" \\u00e9\", \"skip\": {\"model\": \"inner\", \"a\": [1, {\"b\": "
            "\"}]\"}]}, \"model\":\"gpt-4o\",\n\"usage\": {\"prompt_tokens\": 12, \"details\": "
            "{\"cached\": 1.5e1}, \"other\": null}, \"tail\": [true, false, null] }";
        const auto values = reader.read(json);
        QVERIFY(values);
        QCOMPARE(values->size(), 6);
        QCOMPARE(values->at(0).string, QByteArray("gpt-4o"));
        QCOMPARE(values->at(1).number, std::optional<double>(12));
        QCOMPARE(values->at(2).number, std::optional<double>(15));
        QVERIFY(!values->at(3).found);
        QCOMPARE(values->at(4).number, std::optional<double>(12)); // the same path twice
        QCOMPARE(values->at(5).string, QString::fromUtf8("say \"hi\" \u00e9").toUtf8());
    }

    void nullAndObjectsAreNotValues()
    {
        const JsonPathReader reader({{"usage"}, {"usage", "n"}});
        const auto values = reader.read("{\"usage\":null}");
        QVERIFY(values);
        QVERIFY(!values->at(0).number && values->at(0).string.isEmpty() && !values->at(1).found);
        QVERIFY(!reader.read("{\"usage\":{\"n\":null}}")->at(1).number);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("array") << QByteArray("[{\"a\":1}]");
        QTest::newRow("truncated") << QByteArray("{\"a\":1,\"usage\":{\"n\":3");
        QTest::newRow("unterminated string") << QByteArray("{\"a\":\"x}");
        QTest::newRow("missing colon") << QByteArray("{\"a\" 1}");
        QTest::newRow("trailing garbage") << QByteArray("{\"a\":1} x");
    }

    void malformed()
    {
        QFETCH(QByteArray, json);
        QVERIFY(!JsonPathReader({{"usage", "n"}, {"a"}}).read(json));
        QVERIFY(!JsonPathReader::forEachMember(json, [](QByteArrayView, QByteArrayView) {}));
    }

    // Each top-level member in order: the key as written, the value's text whole, nested members not visited.
    void forEachMember()
    {
        QList<std::pair<QByteArray, QByteArray>> seen;
        const bool read =
            JsonPathReader::forEachMember(" { \"stream\" : true , \"m\":[{\"stream\":false},\"a]\\\"}\"], "
                                          "\"\\u0073tream\":null,\"n\":-1.5e3,\"o\":{}} ",
                                          [&](QByteArrayView key, QByteArrayView value) {
                                              seen.append({key.toByteArray(), value.toByteArray()});
                                          });
        QVERIFY(read);
        const QList<std::pair<QByteArray, QByteArray>> expected{{"stream", "true"},
                                                                {"m", "[{\"stream\":false},\"a]\\\"}\"]"},
                                                                {"\\u0073tream", "null"},
                                                                {"n", "-1.5e3"},
                                                                {"o", "{}"}};
        QCOMPARE(seen, expected);
        QVERIFY(JsonPathReader::forEachMember("{}", [](QByteArrayView, QByteArrayView) { QFAIL("no member"); }));
    }
};

GATEHOUSE_TEST_MAIN(TestJsonPathReader)
#include "TestJsonPathReader.moc"
