#include "DesktopDriver.h"
#include "GuiTestMain.h"
#include "HttpTestClient.h"

#include "app/ConnectDialog.h"
#include "app/MainWindow.h"
#include "models/JsonTableModel.h"
#include "pages/AuditPage.h"
#include "pages/GatewayKeysPage.h"
#include "pages/HealthPage.h"
#include "pages/PricingPage.h"
#include "pages/ProviderKeysPage.h"
#include "pages/ProviderTypeDialog.h"
#include "pages/ProviderTypesPage.h"
#include "pages/RolesPage.h"
#include "pages/SettingsPage.h"
#include "pages/UsersPage.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
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

    void fill(ConnectDialog* dialog, const QString& password, const QString& username = QStringLiteral("admin"))
    {
        dialog->findChild<QLineEdit*>(QStringLiteral("url"))->setText(m_remoteAdmin.toString());
        dialog->findChild<QLineEdit*>(QStringLiteral("username"))->setText(username);
        dialog->findChild<QLineEdit*>(QStringLiteral("password"))->setText(password);
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    }

    // Manages the gateway `index` of the window's list: its saved session resumed, or (no keychain here) the sign-in
    // dialog answered with `password`.
    bool chooseGateway(int index, const QString& password)
    {
        DesktopApp& app = m_desktop.app();
        QSignalSpy ready(&app, &DesktopApp::ready);
        app.chooseGateway(index);
        if (!QTest::qWaitFor(
                [&] { return ready.count() > 0 || (app.signInDialog() && app.signInDialog()->isVisible()); }, 10'000))
            return false;
        if (ready.isEmpty()) {
            app.signInDialog()->findChild<QLineEdit*>(QStringLiteral("password"))->setText(password);
            app.signInDialog()->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
            return ready.wait(10'000);
        }
        return true;
    }

    // Fills the Pricing page's Add price dialog and presses Add; the dialog, gone once the server accepted.
    QPointer<QDialog> addPrice(const QString& pattern, double input, double output)
    {
        m_desktop.app().window().pricing().findChild<QPushButton*>(QStringLiteral("addPrice"))->click();
        auto* dialog = DesktopDriver::waitForWidget<QDialog>(QStringLiteral("priceDialog"));
        if (!dialog)
            return nullptr;
        auto* provider = dialog->findChild<QComboBox*>(QStringLiteral("providerType"));
        if (!QTest::qWaitFor([provider] { return provider->count() > 0; }, 10'000))
            return nullptr;
        provider->setCurrentText(QStringLiteral("OpenAI"));
        dialog->findChild<QLineEdit*>(QStringLiteral("modelPattern"))->setText(pattern);
        dialog->findChild<QDoubleSpinBox*>(QStringLiteral("inputMicrosPerMTok"))->setValue(input);
        dialog->findChild<QDoubleSpinBox*>(QStringLiteral("outputMicrosPerMTok"))->setValue(output);
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        return dialog;
    }

    static int rowWhere(const JsonTableModel& model, const char* field, const QString& value)
    {
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.row(row).value(QLatin1String(field)).toString() == value)
                return row;
        }
        return -1;
    }

    QRegularExpressionMatch m_remoteOutput;

    // Starts gatehoused on the test's data folder, its admin API on `adminPort` (0: any free one).
    bool startRemote(quint16 adminPort)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GATEHOUSE_ADMIN_PASSWORD"), QLatin1String(kRemotePassword));
        env.insert(QStringLiteral("GATEHOUSE_MASTER_KEY"),
                   QStringLiteral("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
        m_remote.setProcessEnvironment(env);
        m_remote.start(qEnvironmentVariable("GATEHOUSED_BINARY"),
                       {QStringLiteral("--data-dir"), m_remoteData.path(), QStringLiteral("--proxy-port"),
                        QStringLiteral("0"), QStringLiteral("--admin-port"), QString::number(adminPort),
                        QStringLiteral("--proxy-address"), QStringLiteral("127.0.0.1")});
        if (!m_remote.waitForStarted()) {
            QTest::qFail("GATEHOUSED_BINARY must point at gatehoused", __FILE__, __LINE__);
            return false;
        }
        const QRegularExpression adminLine(QStringLiteral("admin: (http://[^\\s]+)/api/system/info"));
        QString out;
        const bool started = QTest::qWaitFor(
            [&] {
                out += QString::fromUtf8(m_remote.readAllStandardOutput());
                m_remoteOutput = adminLine.match(out);
                return m_remoteOutput.hasMatch();
            },
            20'000);
        if (!started)
            QTest::qFail(qPrintable(out), __FILE__, __LINE__);
        return started;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(startRemote(0));
        m_remoteAdmin = QUrl(m_remoteOutput.captured(1));

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

        QVERIFY(m_desktop.launchAndSetUp());
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

    // Prices in the locale's money format; an admin adds one, and a second of the same model is refused in the
    // dialog with the server's words.
    void anAdminPricesAModel()
    {
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::Pricing);
        PricingPage& page = window.pricing();
        QTRY_VERIFY(page.model().rowCount() > 0); // the seeded example prices
        const QPointer<QDialog> added = addPrice(QStringLiteral("team-model-*"), 2.5, 10);
        QTRY_VERIFY(added.isNull());
        QTRY_VERIFY(rowWhere(page.model(), "modelPattern", QStringLiteral("team-model-*")) >= 0);
        const int row = rowWhere(page.model(), "modelPattern", QStringLiteral("team-model-*"));
        QCOMPARE(page.model().row(row).value(QLatin1String("inputMicrosPerMTok")).toInteger(), 2'500'000);
        QVERIFY(page.model().data(page.model().index(row, 2)).toString().contains(QLocale().toString(2.5, 'f', 2)));
        QCOMPARE(PricingPage::dollars(75'000), QLocale().toCurrencyString(0.075, QStringLiteral("$"), 3));

        const QPointer<QDialog> duplicate = addPrice(QStringLiteral("team-model-*"), 1, 1);
        QVERIFY(duplicate);
        QTRY_VERIFY(duplicate->findChild<QLabel*>(QStringLiteral("dialogError"))
                        ->text()
                        .contains(QLatin1String("already has a price")));
        QVERIFY(duplicate->isVisible());
        duplicate->reject();
    }

    // Every key's health, refreshed in place (the selection stays); a reset says so.
    void keyHealthIsLiveAndResets()
    {
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::KeyHealth);
        HealthPage& page = window.health();
        QTRY_COMPARE(page.model().rowCount(), 1);
        QCOMPARE(page.model().data(page.model().index(0, 0)).toString(), QStringLiteral("remote team key"));
        QCOMPARE(page.model().data(page.model().index(0, 3)).toString(), QStringLiteral("Healthy"));
        auto* table = page.findChild<QTableView*>(QStringLiteral("healthTable"));
        table->selectRow(0);
        QSignalSpy refreshed(&page.model(), &QAbstractItemModel::dataChanged);
        page.reload();
        QVERIFY(refreshed.wait(10'000));
        QVERIFY(table->selectionModel()->isRowSelected(0, {}));
        page.findChild<QPushButton*>(QStringLiteral("resetHealth"))->click();
        QTRY_COMPARE(page.findChild<QLabel*>(QStringLiteral("healthMessage"))->text(),
                     QStringLiteral("remote team key is back in the pool."));
    }

    void rolesListWhatEachAllows()
    {
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::Roles);
        RolesPage& page = window.roles();
        QTRY_COMPARE(page.model().rowCount(), 6);
        page.findChild<QTableView*>(QStringLiteral("rolesTable"))
            ->selectRow(rowWhere(page.model(), "name", QStringLiteral("user")));
        QStringList allowed;
        for (int row = 0; row < page.permissions().count(); ++row)
            allowed << page.permissions().item(row)->text();
        QVERIFY2(allowed.contains(QStringLiteral("Call every provider through the gateway")),
                 qPrintable(allowed.join('|')));
        QVERIFY(allowed.contains(QStringLiteral("Create and manage their own gateway keys")));
        QCOMPARE(allowed.size(), 4);
    }

    // The server's objection names its field; the dialog shows it there and nothing is saved.
    void aProviderTypeObjectionShowsAtItsField()
    {
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::Providers);
        ProviderTypesPage& page = window.providerTypes();
        QTRY_VERIFY(page.model().rowCount() >= 3);
        const int openai = rowWhere(page.model(), "name", QStringLiteral("openai"));
        QVERIFY(openai >= 0);
        page.findChild<QTableView*>(QStringLiteral("providerTypesTable"))->selectRow(openai);
        page.findChild<QPushButton*>(QStringLiteral("editProviderType"))->click();
        auto* dialog = DesktopDriver::waitForWidget<ProviderTypeDialog>();
        QVERIFY(dialog);
        auto* baseUrl = dialog->findChild<QLineEdit*>(QStringLiteral("baseUrl"));
        QCOMPARE(baseUrl->text(), QStringLiteral("https://api.openai.com"));
        baseUrl->setText(QStringLiteral("https://api.openai.com/v1")); // clients' paths start with /v1 already
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QTRY_VERIFY(!dialog->fieldError(QStringLiteral("baseUrl")).isEmpty());
        QVERIFY2(dialog->fieldError(QStringLiteral("baseUrl")).contains(QLatin1String("/v1")),
                 qPrintable(dialog->fieldError(QStringLiteral("baseUrl"))));
        QVERIFY(dialog->fieldError(QStringLiteral("displayName")).isEmpty());
        QVERIFY(dialog->isVisible());
        baseUrl->setText(QStringLiteral("https://openai-proxy.example.com"));
        // What is not even well formed is caught before it is sent.
        auto* usagePaths = dialog->findChild<QPlainTextEdit*>(QStringLiteral("usagePaths"));
        usagePaths->setPlainText(QStringLiteral("{\"input\": [\"usage.prompt_tokens\"]"));
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(dialog->fieldError(QStringLiteral("usagePaths")).contains(QLatin1String("JSON object")));
        QVERIFY(dialog->fieldError(QStringLiteral("baseUrl")).isEmpty());
        // The server's objection to one of its entries lands at the field too.
        usagePaths->setPlainText(QStringLiteral("{\"tokens\": [\"usage.total\"]}"));
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QTRY_VERIFY(dialog->fieldError(QStringLiteral("usagePaths")).contains(QLatin1String("'usagePaths' keys")));
        usagePaths->clear();
        dialog->findChild<QPlainTextEdit*>(QStringLiteral("defaultHeaders"))
            ->setPlainText(QStringLiteral("OpenAI-Organization: org-team\nX-Team: platform"));
        dialog->findChild<QPlainTextEdit*>(QStringLiteral("allowedRoutes"))
            ->setPlainText(QStringLiteral("POST /v1/chat/completions\nGET /v1/models"));
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QTRY_COMPARE(page.model().row(openai).value(QLatin1String("baseUrl")).toString(),
                     QStringLiteral("https://openai-proxy.example.com"));
        const QJsonObject saved = page.model().row(openai);
        QCOMPARE(saved.value(QLatin1String("defaultHeaders")).toObject(),
                 (QJsonObject{{QStringLiteral("OpenAI-Organization"), QStringLiteral("org-team")},
                              {QStringLiteral("X-Team"), QStringLiteral("platform")}}));
        QCOMPARE(saved.value(QLatin1String("allowedRoutes")).toArray(),
                 (QJsonArray{QStringLiteral("POST /v1/chat/completions"), QStringLiteral("GET /v1/models")}));
    }

    // An admin adds a user of role `user`; in a second connection that user sees only what the role allows.
    void aUserInASecondConnectionSeesTheirPages()
    {
        const QPointer<QDialog> dialog = m_desktop.addUser(QStringLiteral("dora"), QStringLiteral("dora-password-1"));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog.isNull());

        DesktopApp& app = m_desktop.app();
        ConnectDialog* connect = openConnect();
        QVERIFY(connect);
        QSignalSpy ready(&app, &DesktopApp::ready);
        fill(connect, QStringLiteral("dora-password-1"), QStringLiteral("dora"));
        QVERIFY(ready.wait(10'000));
        MainWindow& window = app.window();
        QVERIFY(window.findChild<QLabel*>(QStringLiteral("banner"))->text().contains(QLatin1String("dora@")));
        QCOMPARE(window.findChild<QComboBox*>(QStringLiteral("gatewayChoice"))->count(), 3);
        QCOMPARE(m_desktop.offeredPages(),
                 (QStringList{QStringLiteral("Dashboard"), QStringLiteral("Pricing"), QStringLiteral("Gateway keys"),
                              QStringLiteral("Request log"), QStringLiteral("Settings")}));
        window.showPage(MainWindow::Page::Pricing);
        QVERIFY(!window.pricing().findChild<QPushButton*>(QStringLiteral("addPrice"))->isVisible());
        window.showPage(MainWindow::Page::Settings);
        QTRY_COMPARE(window.settings().findChild<QLabel*>(QStringLiteral("serverNote"))->text(),
                     QStringLiteral("Only users who manage the server see its settings."));
    }

    // Back as the admin: the audit log holds what was done, and the refused edit wrote nothing.
    void theAuditLogHoldsThoseActions()
    {
        QVERIFY(chooseGateway(1, QLatin1String(kRemotePassword)));
        MainWindow& window = m_desktop.app().window();
        QVERIFY(window.findChild<QLabel*>(QStringLiteral("banner"))->text().contains(QLatin1String("admin@")));
        window.showPage(MainWindow::Page::Audit);
        AuditPage& audit = window.audit();
        QTRY_VERIFY(audit.model().rowCount() > 0);
        QStringList actions;
        for (int row = 0; row < audit.model().rowCount(); ++row)
            actions << audit.model().row(row).value(QLatin1String("action")).toString();
        for (const char* done : {"user.create", "pricing.create", "provider_key.health_reset", "provider_type.update"})
            QVERIFY2(actions.contains(QLatin1String(done)), done);
        QCOMPARE(actions.count(QStringLiteral("provider_type.update")), 1); // the refused /v1 was not written
        const int created = rowWhere(audit.model(), "action", QStringLiteral("user.create"));
        QCOMPARE(audit.model().row(created).value(QLatin1String("details"))[QLatin1String("username")].toString(),
                 QStringLiteral("dora"));
    }

    // The remote goes away: the window says so and keeps its page; when it is back, the banner goes and the page
    // fills again, with no sign-in.
    void anUnreachableGatewayIsShownAndAskedAgain()
    {
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::Users);
        QTRY_COMPARE(window.users().model().rowCount(), 2);
        m_remote.terminate();
        QVERIFY(m_remote.waitForFinished(20'000));
        window.users().reload();
        auto* offline = window.findChild<QLabel*>(QStringLiteral("offline"));
        QTRY_VERIFY(offline->isVisible());
        QVERIFY2(offline->text().contains(QLatin1String("Trying again in")), qPrintable(offline->text()));
        QCOMPARE(window.users().model().rowCount(), 2); // what it had

        QSignalSpy refilled(&window.users().model(), &QAbstractItemModel::dataChanged);
        QVERIFY(startRemote(quint16(m_remoteAdmin.port())));
        QTRY_VERIFY_WITH_TIMEOUT(!offline->isVisible(), 10'000);
        QTRY_VERIFY(refilled.count() > 0); // asked again once the gateway answered
        QCOMPARE(window.users().model().rowCount(), 2);
        QVERIFY(!m_desktop.app().signInDialog());
    }

    void switchingBackShowsThisComputersGateway()
    {
        DesktopApp& app = m_desktop.app();
        QVERIFY(chooseGateway(0, QLatin1String(DesktopDriver::kPassword)));
        QCOMPARE(app.client().baseUrl(), app.gateway().adminUrl());
        // No page keeps the remote's rows: the local gateway has one user, the remote two.
        app.window().showPage(MainWindow::Page::Users);
        QTRY_COMPARE(app.window().users().model().rowCount(), 1);
        QVERIFY(
            app.window().findChild<QLabel*>(QStringLiteral("banner"))->text().contains(QLatin1String("this computer")));
    }
};

GATEHOUSE_GUI_TEST_MAIN(TestDesktopRemote)
#include "TestDesktopRemote.moc"
