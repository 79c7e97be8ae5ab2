#include "DesktopDriver.h"
#include "GuiTestMain.h"

#include "app/SignInDialog.h"

#include <QFile>
#include <QSignalSpy>
#include <qt6keychain/keychain.h>

// With a keychain (./test.sh runs the tests with a session bus and an unlocked keyring of their own): the master key
// and the session's refresh token live there, and a restart opens the data and signs in by itself.
class TestDesktopRestart : public QObject
{
    Q_OBJECT

private:
    DesktopDriver m_desktop;

    // The keychain entry under `key` of the app's service: its error and text.
    static QPair<QKeychain::Error, QString> readKeychain(const QString& key)
    {
        auto* job = new QKeychain::ReadPasswordJob(QStringLiteral("gatehouse"));
        job->setKey(key);
        QSignalSpy finished(job, &QKeychain::Job::finished);
        job->start();
        finished.wait(10'000);
        return {job->error(), job->textData()};
    }

    static bool keychainAnswers()
    {
        const QKeychain::Error error = readKeychain(QStringLiteral("gatehouse-test-probe")).first;
        return error == QKeychain::NoError || error == QKeychain::EntryNotFound;
    }

private slots:
    void theSessionIsResumedAfterARestart()
    {
        if (!keychainAnswers())
            QSKIP("no keychain answers here (./test.sh provides one)");
        DesktopApp& first = m_desktop.launch(true);
        QSignalSpy firstReady(&first, &DesktopApp::ready);
        QVERIFY(m_desktop.completeSetup(true));
        QVERIFY(firstReady.wait(30'000));
        // The master key went to the keychain (asked from the GUI thread), not to a file.
        QVERIFY(first.masterKeyInKeychain());
        QVERIFY(!QFile::exists(m_desktop.dataDir() + QStringLiteral("/master.key")));
        // The session's refresh token reaches the keychain.
        const QString account = QStringLiteral("local-session:") + m_desktop.dataDir();
        QTRY_VERIFY(!readKeychain(account).second.isEmpty());

        DesktopApp& second = m_desktop.launch(true);
        QSignalSpy ready(&second, &DesktopApp::ready);
        QVERIFY(ready.wait(30'000));
        QVERIFY(!second.signInDialog());
        QVERIFY(second.masterKeyInKeychain()); // the same key opened the data again
        QVERIFY(m_desktop.call("GET", QStringLiteral("/api/auth/me")).ok());
    }
};

GATEHOUSE_GUI_TEST_MAIN(TestDesktopRestart)
#include "TestDesktopRestart.moc"
