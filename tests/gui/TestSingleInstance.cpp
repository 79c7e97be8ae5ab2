#include "GuiTestMain.h"

#include "app/SingleInstance.h"

#include <QDir>
#include <QFile>
#include <QLocalServer>
#include <QSignalSpy>
#include <QUuid>

// A second launch finds the first and asks it to show itself, and a socket left by a crashed instance does not
// block the next one.
class TestSingleInstance : public QObject
{
    Q_OBJECT

private slots:
    void aSecondLaunchRaisesTheFirst()
    {
        const QString name = QStringLiteral("gatehouse-test-") + QUuid::createUuid().toString(QUuid::Id128);
        SingleInstance first(name);
        QVERIFY(first.claim());
        QSignalSpy activated(&first, &SingleInstance::activationRequested);
        SingleInstance second(name);
        QVERIFY(!second.claim());
        QVERIFY(activated.wait(5000));
    }

    void aStaleSocketDoesNotBlock()
    {
        const QString name = QStringLiteral("gatehouse-test-") + QUuid::createUuid().toString(QUuid::Id128);
        // What a crashed instance leaves: the socket's file, with nobody listening.
        QFile leftover(QDir::temp().filePath(name));
        QVERIFY(leftover.open(QIODevice::WriteOnly));
        leftover.close();
        QVERIFY(!QLocalServer().listen(name)); // as it was, the name is taken
        SingleInstance next(name);
        QVERIFY(next.claim());
    }
};

GATEHOUSE_GUI_TEST_MAIN(TestSingleInstance)
#include "TestSingleInstance.moc"
