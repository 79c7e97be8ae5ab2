#include "DesktopDriver.h"
#include "GuiTestMain.h"

#include "app/MainWindow.h"
#include "app/SignInDialog.h"

#include <QFile>
#include <QLabel>
#include <QSignalSpy>

// Where the app keeps its secrets when no keychain answers: the master key falls back to a file of the user's only,
// the window says so, and the session is not kept (the next start asks for the password).
class TestDesktopKeychain : public QObject
{
    Q_OBJECT

private:
    DesktopDriver m_desktop;

private slots:
    void initTestCase()
    {
        // No session bus: no keychain can answer in this process.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/gatehouse-test-bus");
    }

    void theMasterKeyFallsBackToAFileAndTheWindowSaysSo()
    {
        DesktopApp& app = m_desktop.launch(true);
        QSignalSpy ready(&app, &DesktopApp::ready);
        QVERIFY(m_desktop.completeSetup(true));
        QVERIFY(ready.wait(60'000));
        QVERIFY(!app.masterKeyInKeychain());
        QFile key(m_desktop.dataDir() + QStringLiteral("/master.key"));
        QVERIFY(key.exists());
        QCOMPARE(key.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        auto* problem = app.window().findChild<QLabel*>(QStringLiteral("problem"));
        QVERIFY(problem->isVisible());
        QVERIFY2(problem->text().contains(QLatin1String("No keychain answered")), qPrintable(problem->text()));
        QVERIFY(problem->text().contains(key.fileName()));
    }

    void withoutAKeychainTheNextStartAsksForThePassword()
    {
        DesktopApp& app = m_desktop.launch(true);
        auto* dialog = DesktopDriver::waitForWidget<SignInDialog>();
        QVERIFY(dialog);
        // The key file from the first start still opens the data.
        QVERIFY(app.gateway().isRunning());
        QVERIFY(!app.masterKeyInKeychain());
    }
};

GATEHOUSE_GUI_TEST_MAIN(TestDesktopKeychain)
#include "TestDesktopKeychain.moc"
