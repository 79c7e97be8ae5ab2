#include "TestRegistry.h"
#include "service/JsonInput.h"

#include <QJsonDocument>
#include <QTest>

class TestJsonInput : public QObject
{
    Q_OBJECT

private:
    static QJsonObject parse(const char* json) { return QJsonDocument::fromJson(json).object(); }

private slots:
    void readsValidInput()
    {
        JsonInput in(parse(R"({"name":"team-a","weight":3,"active":false,"pool":[1,2,2],"mode":"smart"})"));
        QCOMPARE(in.text(QStringLiteral("name"), JsonInput::Required, 1, 50), QStringLiteral("team-a"));
        QCOMPARE(in.integer(QStringLiteral("weight"), JsonInput::Optional, 1, 100), qint64(3));
        QCOMPARE(in.boolean(QStringLiteral("active"), JsonInput::Optional), false);
        QCOMPARE(in.ids(QStringLiteral("pool"), JsonInput::Optional), (QList<qint64>{1, 2}));
        QCOMPARE(in.oneOf(QStringLiteral("mode"), JsonInput::Optional, {QStringLiteral("smart")}),
                 QStringLiteral("smart"));
        QVERIFY(!in.integer(QStringLiteral("absent"), JsonInput::Optional, 0, 1).has_value());
        QVERIFY(!in.error().has_value());
    }

    void rejectsBadInput_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing") << QByteArray("{}") << QStringLiteral("'name' is required");
        QTest::newRow("wrong type") << QByteArray(R"({"name":5})") << QStringLiteral("'name' must be a string");
        QTest::newRow("too long") << QByteArray(R"({"name":"0123456789x"})")
                                  << QStringLiteral("'name' must be 1 to 10 characters long");
        QTest::newRow("fraction") << QByteArray(R"({"name":"a","weight":1.5})")
                                  << QStringLiteral("'weight' must be a whole number from 1 to 100");
        QTest::newRow("huge") << QByteArray(R"({"name":"a","weight":1e300})")
                              << QStringLiteral("'weight' must be a whole number from 1 to 100");
        QTest::newRow("string number") << QByteArray(R"({"name":"a","weight":"5"})")
                                       << QStringLiteral("'weight' must be a whole number");
        QTest::newRow("unknown field") << QByteArray(R"({"name":"a","colour":"red"})")
                                       << QStringLiteral("'colour' is not a known field");
    }

    void rejectsBadInput()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        JsonInput in(QJsonDocument::fromJson(json).object());
        in.text(QStringLiteral("name"), JsonInput::Required, 1, 10);
        in.integer(QStringLiteral("weight"), JsonInput::Optional, 1, 100);
        const auto error = in.error();
        QVERIFY(error.has_value());
        QCOMPARE(error->code, QStringLiteral("invalid_argument"));
        QVERIFY2(error->message.contains(message), qPrintable(error->message));
    }

    void reportsEveryProblemAtOnce()
    {
        JsonInput in(parse(R"({"weight":0,"extra":1})"));
        in.text(QStringLiteral("name"), JsonInput::Required);
        in.integer(QStringLiteral("weight"), JsonInput::Optional, 1, 100);
        QCOMPARE(in.error()->message.count(QLatin1Char(';')), 2);
    }

    void readsNestedObjectsAndCallerProblems()
    {
        JsonInput in(parse(R"({"headers":{"x-a":"1"},"paths":[1]})"));
        QCOMPARE(in.object(QStringLiteral("headers"), JsonInput::Required)->value(QLatin1String("x-a")).toString(),
                 QStringLiteral("1"));
        QVERIFY(!in.object(QStringLiteral("paths"), JsonInput::Optional).has_value());
        in.addProblem(QStringLiteral("'headers' must not be empty"));
        const QString message = in.error()->message;
        QVERIFY2(message.contains(QStringLiteral("'paths' must be a JSON object")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("'headers' must not be empty")), qPrintable(message));
    }
};

GATEHOUSE_TEST_MAIN(TestJsonInput)
#include "TestJsonInput.moc"
