#include "DesktopDriver.h"
#include "GuiTestMain.h"
#include "HttpTestClient.h"

#include "app/ConnectDialog.h"
#include "app/MainWindow.h"
#include "models/JsonTableModel.h"
#include "pages/GatewayKeysPage.h"
#include "pages/ProviderKeysPage.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QToolBar>

// The app manages a gatehoused elsewhere (here a real one started by the test, over loopback) through the same
// client and pages: connect with a wrong password (refused, still on the local gateway), connect for real, see the
// remote's keys under a banner that names it, switch back to this computer.
class TestDesktopRemote : public QObject
{
    Q_OBJECT

private:
    static constexpr const char* kRemotePassword = "remote-admin-password";

    DesktopDriver m_desktop;
    QTemporaryDir m_remoteData;
    QProcess m_remote;
    QUrl m_remoteAdmin;

    ApiResult remoteCall(const QByteArray& method, const QString& path, const QJsonObject& body,
                         const QByteArray& token)
    {
        HttpTestClient client;
        const auto response = client.send(method, m_remoteAdmin.resolved(QUrl(path)), QJsonDocument(body).toJson(),
                                          {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
        return {response.status, response.json().object(), {}, {}};
    }

    ConnectDialog* openConnect()
    {
        MainWindow& window = m_desktop.app().window();
        for (QAction* action : window.findChild<QToolBar*>(QStringLiteral("gatewayToolBar"))->actions()) {
            if (action->objectName() == QLatin1String("connect"))
                action->trigger();
        }
        return DesktopDriver::waitForWidget<ConnectDialog>();
    }

    void fill(ConnectDialog* dialog, const QString& password)
    {
        dialog->findChild<QLineEdit*>(QStringLiteral("url"))->setText(m_remoteAdmin.toString());
        dialog->findChild<QLineEdit*>(QStringLiteral("username"))->setText(QStringLiteral("admin"));
        dialog->findChild<QLineEdit*>(QStringLiteral("password"))->setText(password);
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    }

private slots:
    void initTestCase()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GATEHOUSE_ADMIN_PASSWORD"), QLatin1String(kRemotePassword));
        env.insert(QStringLiteral("GATEHOUSE_MASTER_KEY"),
                   QStringLiteral("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
        m_remote.setProcessEnvironment(env);
        m_remote.start(qEnvironmentVariable("GATEHOUSED_BINARY"),
                       {QStringLiteral("--data-dir"), m_remoteData.path(), QStringLiteral("--proxy-port"),
                        QStringLiteral("0"), QStringLiteral("--admin-port"), QStringLiteral("0"),
                        QStringLiteral("--proxy-address"), QStringLiteral("127.0.0.1")});
        QVERIFY2(m_remote.waitForStarted(), "GATEHOUSED_BINARY must point at gatehoused");
        const QRegularExpression adminLine(QStringLiteral("admin: (http://[^\\s]+)/api/system/info"));
        QString out;
        QTRY_VERIFY_WITH_TIMEOUT(
            (out += QString::fromUtf8(m_remote.readAllStandardOutput()), adminLine.match(out).hasMatch()), 20'000);
        m_remoteAdmin = QUrl(adminLine.match(out).captured(1));

        // The remote holds a provider key the local gateway does not.
        HttpTestClient client;
        const auto login =
            client.post(m_remoteAdmin.resolved(QUrl(QStringLiteral("/api/auth/login"))),
                        QJsonDocument(QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")},
                                                  {QStringLiteral("password"), QLatin1String(kRemotePassword)}})
                            .toJson());
        QCOMPARE(login.status, 200);
        const QByteArray token = login.json()[QLatin1String("accessToken")].toString().toLatin1();
        QCOMPARE(remoteCall("POST", QStringLiteral("/api/provider-keys"),
                            {{QStringLiteral("providerTypeId"), 1},
                             {QStringLiteral("name"), QStringLiteral("remote team key")},
                             {QStringLiteral("secret"), QStringLiteral("sk-remote-0123456789")}},
                            token)
                     .status,
                 201);

        DesktopApp& app = m_desktop.launch();
        QSignalSpy ready(&app, &DesktopApp::ready);
        QVERIFY(m_desktop.completeSetup(false));
        QVERIFY(ready.wait(30'000));
    }

    void cleanupTestCase()
    {
        m_remote.terminate();
        m_remote.waitForFinished(20'000);
    }

    void aWrongPasswordLeavesTheWindowOnItsGateway()
    {
        ConnectDialog* dialog = openConnect();
        QVERIFY(dialog);
        fill(dialog, QStringLiteral("not-the-password"));
        auto* error = dialog->findChild<QLabel*>(QStringLiteral("dialogError"));
        QTRY_VERIFY(error->text().contains(QLatin1String("invalid username or password")));
        QVERIFY(dialog->isVisible());
        QCOMPARE(m_desktop.app().client().baseUrl(), m_desktop.app().gateway().adminUrl());
        QVERIFY(m_desktop.call("GET", QStringLiteral("/api/auth/me")).ok()); // still signed in locally
        dialog->reject();
    }

    void theWindowManagesTheRemoteGateway()
    {
        DesktopApp& app = m_desktop.app();
        ConnectDialog* dialog = openConnect();
        QVERIFY(dialog);
        QSignalSpy ready(&app, &DesktopApp::ready);
        fill(dialog, QLatin1String(kRemotePassword));
        QVERIFY(ready.wait(10'000));
        MainWindow& window = app.window();
        auto* banner = window.findChild<QLabel*>(QStringLiteral("banner"));
        QVERIFY2(banner->text().contains(m_remoteAdmin.authority()), qPrintable(banner->text()));
        auto* choice = window.findChild<QComboBox*>(QStringLiteral("gatewayChoice"));
        QCOMPARE(choice->count(), 2);
        QCOMPARE(choice->currentIndex(), 1);
        QCOMPARE(m_desktop.settings().connections().size(), 1);

        window.showPage(MainWindow::Page::ProviderKeys);
        ProviderKeysPage& keys = window.providerKeys();
        keys.reload();
        QTRY_COMPARE(keys.model().rowCount(), 1);
        QCOMPARE(keys.model().data(keys.model().index(0, 0)).toString(), QStringLiteral("remote team key"));
        // The snippets point at the remote's proxy port.
        QVERIFY(window.findChild<QLabel*>(QStringLiteral("gatewayStatus"))->text().contains(m_remoteAdmin.host()));
    }

    void switchingBackShowsThisComputersGateway()
    {
        DesktopApp& app = m_desktop.app();
        QSignalSpy ready(&app, &DesktopApp::ready);
        app.chooseGateway(0);
        // The session is resumed, or (no keychain here) asked for.
        QTRY_VERIFY(ready.count() > 0 || (app.signInDialog() && app.signInDialog()->isVisible()));
        if (ready.isEmpty()) {
            app.signInDialog()
                ->findChild<QLineEdit*>(QStringLiteral("password"))
                ->setText(QLatin1String(DesktopDriver::kPassword));
            app.signInDialog()->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
            QVERIFY(ready.wait(10'000));
        }
        QCOMPARE(app.client().baseUrl(), app.gateway().adminUrl());
        ProviderKeysPage& keys = app.window().providerKeys();
        QTRY_COMPARE(keys.model().rowCount(), 0);
        QVERIFY(
            app.window().findChild<QLabel*>(QStringLiteral("banner"))->text().contains(QLatin1String("this computer")));
    }
};

GATEHOUSE_GUI_TEST_MAIN(TestDesktopRemote)
#include "TestDesktopRemote.moc"
