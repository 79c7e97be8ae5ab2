#include "DesktopDriver.h"
#include "FakeOpenAI.h"
#include "GuiTestMain.h"
#include "HttpTestClient.h"

#include "app/AboutDialog.h"
#include "app/MainWindow.h"
#include "local/Appearance.h"
#include "models/JsonTableModel.h"
#include "models/TraceModel.h"
#include "pages/AuditPage.h"
#include "pages/ConnectAccountDialog.h"
#include "pages/DashboardPage.h"
#include "pages/GatewayKeyDialog.h"
#include "pages/GatewayKeysPage.h"
#include "pages/HealthPage.h"
#include "pages/NewKeyDialog.h"
#include "pages/PricingPage.h"
#include "pages/ProviderKeyDialog.h"
#include "pages/ProviderKeysPage.h"
#include "pages/ProviderTypeDialog.h"
#include "pages/ProviderTypesPage.h"
#include "pages/RequestLogPage.h"
#include "pages/RolesPage.h"
#include "pages/SettingsPage.h"
#include "pages/UsersPage.h"
#include "setup/SetupWizard.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScreen>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>

// Not a test: tests/gui/screenshots.sh runs it under Xvfb (a real X window) to photograph every page into
// docs/screenshots/ (in English) and docs/screenshots/zh_CN/ (GATEHOUSE_SCREENSHOT_LANGUAGE=zh_CN), with a little
// traffic through a fake OpenAI so the pages have something to show.
class ScreenshotTour : public QObject
{
    Q_OBJECT

private:
    DesktopDriver m_desktop;
    FakeOpenAI m_openai;
    QDir m_out{qEnvironmentVariable("GATEHOUSE_SCREENSHOT_DIR", QStringLiteral("docs/screenshots"))};

    void shoot(QWidget* window, const QString& name)
    {
        QTest::qWait(400); // let charts and tables paint
        const QPixmap shot = window->screen()->grabWindow(window->winId());
        QVERIFY2(shot.save(m_out.filePath(name + QStringLiteral(".png"))), qPrintable(name));
    }

    void chat(const QString& key, const QString& model)
    {
        HttpTestClient client;
        client.post(m_desktop.app().gateway().proxyUrl().resolved(QUrl(QStringLiteral("/v1/chat/completions"))),
                    QStringLiteral("{\"model\":\"%1\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                        .arg(model)
                        .toUtf8(),
                    {{"Authorization", "Bearer " + key.toLatin1()}, {"Content-Type", "application/json"}});
    }

private slots:
    void tour()
    {
        QVERIFY(m_out.mkpath(QStringLiteral(".")));
        Appearance::setLanguage(qEnvironmentVariable("GATEHOUSE_SCREENSHOT_LANGUAGE", QStringLiteral("en")));
        QVERIFY(m_openai.listen());
        m_openai.addApiKey(QStringLiteral("sk-proj-tour-0123456789abcdef"));
        m_openai.addApiKey(QStringLiteral("sk-proj-spare-0123456789abcdef"));

        DesktopApp& app = m_desktop.launch();
        app.window().resize(1180, 740);
        auto* wizard = DesktopDriver::waitForWidget<SetupWizard>();
        QVERIFY(wizard);
        wizard->resize(640, 480);
        shoot(wizard, QStringLiteral("setup-1-place"));
        wizard->next();
        wizard->findChild<QLineEdit*>(QStringLiteral("password"))->setText(QStringLiteral("correct horse battery"));
        wizard->findChild<QLineEdit*>(QStringLiteral("confirmPassword"))
            ->setText(QStringLiteral("correct horse battery"));
        shoot(wizard, QStringLiteral("setup-2-password"));
        wizard->back();
        QSignalSpy ready(&app, &DesktopApp::ready);
        QVERIFY(m_desktop.completeSetup(false));
        QVERIFY(ready.wait(30'000));

        QVERIFY(m_desktop.pointProviderAt(QStringLiteral("openai"), m_openai.url()));
        const qint64 openai = m_desktop
                                  .call("GET", QStringLiteral("/api/provider-types"), {},
                                        QUrlQuery{{QStringLiteral("q"), QStringLiteral("openai")}})
                                  .object()[QLatin1String("items")][0][QLatin1String("id")]
                                  .toInteger();
        QList<qint64> pool;
        for (const auto& [name, secret] : {std::pair{"team openai", "sk-proj-tour-0123456789abcdef"},
                                           std::pair{"spare openai", "sk-proj-spare-0123456789abcdef"}}) {
            const ApiResult key = m_desktop.call("POST", QStringLiteral("/api/provider-keys"),
                                                 {{QStringLiteral("providerTypeId"), openai},
                                                  {QStringLiteral("name"), QLatin1String(name)},
                                                  {QStringLiteral("secret"), QLatin1String(secret)}});
            QVERIFY(key.ok());
            pool << key.object()[QLatin1String("id")].toInteger();
        }
        const ApiResult gatewayKey = m_desktop.call("POST", QStringLiteral("/api/gateway-keys"),
                                                    {{QStringLiteral("name"), QStringLiteral("laptop")},
                                                     {QStringLiteral("providerTypeId"), openai},
                                                     {QStringLiteral("pool"), QJsonArray{pool[0], pool[1]}}});
        QVERIFY(gatewayKey.ok());
        const QString key = gatewayKey.object()[QLatin1String("key")].toString();
        const QStringList models{QStringLiteral("gpt-4o-mini"), QStringLiteral("gpt-4o"), QStringLiteral("gpt-4.1")};
        for (int i = 0; i < 36; ++i) {
            m_openai.setUsage({.promptTokens = 40 + i * 13 % 200, .completionTokens = 10 + i * 7 % 90});
            if (i % 11 == 5)
                m_openai.queueBehavior(FakeBehavior::serverError(), 3);
            chat(key, models[i % 3 == 0 ? 1 : (i % 5 == 0 ? 2 : 0)]);
        }
        m_openai.queueBehavior(FakeBehavior::rateLimited(90));
        chat(key, models[0]);

        MainWindow& window = app.window();
        window.showPage(MainWindow::Page::Dashboard);
        QTRY_VERIFY_WITH_TIMEOUT(window.dashboard().overview()[QLatin1String("requests")].toInt() >= 30, 10'000);
        shoot(&window, QStringLiteral("dashboard"));

        window.showPage(MainWindow::Page::ProviderKeys);
        ProviderKeysPage& keys = window.providerKeys();
        QTRY_COMPARE(keys.model().rowCount(), 2);
        keys.findChild<QTableView*>()->selectRow(0);
        keys.findChild<QPushButton*>(QStringLiteral("testProviderKey"))->click();
        const auto lastTest = [&keys] { return keys.model().data(keys.model().index(0, 5)).toString(); };
        QTRY_VERIFY_WITH_TIMEOUT(lastTest().size() > 1, 15'000); // the probe's result instead of a dash
        shoot(&window, QStringLiteral("provider-keys"));
        keys.findChild<QPushButton*>(QStringLiteral("addProviderKey"))->click();
        auto* add = DesktopDriver::waitForWidget<ProviderKeyDialog>();
        QVERIFY(add);
        add->findChild<QLineEdit*>(QStringLiteral("keyName"))->setText(QStringLiteral("anthropic main"));
        add->findChild<QLineEdit*>(QStringLiteral("secret"))->setText(QStringLiteral("sk-ant-api03-example"));
        shoot(add, QStringLiteral("provider-key-add"));
        add->reject();
        QVERIFY(m_desktop
                    .call("POST", QStringLiteral("/api/oauth/configs"),
                          {{QStringLiteral("providerTypeId"), openai},
                           {QStringLiteral("name"), QStringLiteral("Team SSO")},
                           {QStringLiteral("authorizeUrl"), QStringLiteral("https://auth.example.com/authorize")},
                           {QStringLiteral("tokenUrl"), QStringLiteral("https://auth.example.com/token")},
                           {QStringLiteral("clientId"), QStringLiteral("gatehouse")},
                           {QStringLiteral("redirectUri"), QStringLiteral("http://localhost:1455/auth/callback")}})
                    .ok());
        keys.findChild<QPushButton*>(QStringLiteral("connectAccount"))->click();
        auto* connectAccount = DesktopDriver::waitForWidget<ConnectAccountDialog>();
        QVERIFY(connectAccount);
        QTRY_VERIFY(connectAccount->findChild<QComboBox*>(QStringLiteral("oauthConfig"))->count() > 0);
        connectAccount->findChild<QLineEdit*>(QStringLiteral("accountName"))
            ->setText(QStringLiteral("my subscription"));
        shoot(connectAccount, QStringLiteral("provider-key-connect"));
        connectAccount->reject();

        window.showPage(MainWindow::Page::Providers);
        QTRY_VERIFY(window.providerTypes().model().rowCount() >= 3);
        shoot(&window, QStringLiteral("providers"));
        window.providerTypes().findChild<QTableView*>()->selectRow(0);
        window.providerTypes().findChild<QPushButton*>(QStringLiteral("editProviderType"))->click();
        auto* editType = DesktopDriver::waitForWidget<ProviderTypeDialog>();
        QVERIFY(editType);
        editType->findChild<QTabWidget*>()->setCurrentIndex(1);
        shoot(editType, QStringLiteral("provider-type-edit"));
        editType->reject();
        window.showPage(MainWindow::Page::Pricing);
        QTRY_VERIFY(window.pricing().model().rowCount() >= 3);
        shoot(&window, QStringLiteral("pricing"));

        window.showPage(MainWindow::Page::GatewayKeys);
        QTRY_COMPARE(window.gatewayKeys().model().rowCount(), 1);
        shoot(&window, QStringLiteral("gateway-keys"));
        window.gatewayKeys().findChild<QPushButton*>(QStringLiteral("createGatewayKey"))->click();
        auto* create = DesktopDriver::waitForWidget<GatewayKeyDialog>();
        QVERIFY(create);
        auto* type = create->findChild<QComboBox*>(QStringLiteral("providerType"));
        QTRY_VERIFY(type->count() > 0);
        type->setCurrentIndex(type->findText(QStringLiteral("OpenAI")));
        QTRY_VERIFY(create->findChild<QListWidget*>(QStringLiteral("pool"))->count() == 2);
        create->findChild<QLineEdit*>(QStringLiteral("keyName"))->setText(QStringLiteral("ci runner"));
        shoot(create, QStringLiteral("gateway-key-create"));
        create->reject();
        auto* shown = new NewKeyDialog(key, QStringLiteral("openai"), app.gateway().proxyUrl().toString(), &window);
        shown->show();
        shoot(shown, QStringLiteral("gateway-key-new"));
        shown->close();

        window.showPage(MainWindow::Page::RequestLog);
        TraceModel& log = window.requestLog().model();
        QTRY_VERIFY_WITH_TIMEOUT(log.rowCount() >= 30, 10'000);
        auto* table = window.requestLog().findChild<QTableView*>(QStringLiteral("requestLogTable"));
        table->selectRow(1);
        shoot(&window, QStringLiteral("request-log"));

        window.showPage(MainWindow::Page::KeyHealth);
        QTRY_COMPARE(window.health().model().rowCount(), 2);
        shoot(&window, QStringLiteral("key-health"));

        window.showPage(MainWindow::Page::Users);
        QTRY_VERIFY(window.users().model().rowCount() >= 1);
        shoot(&window, QStringLiteral("users"));
        window.showPage(MainWindow::Page::Roles);
        QTRY_COMPARE(window.roles().model().rowCount(), 6);
        window.roles().findChild<QTableView*>()->selectRow(1); // admin
        shoot(&window, QStringLiteral("roles"));
        window.showPage(MainWindow::Page::Audit);
        QTRY_VERIFY(window.audit().model().rowCount() >= 3);
        shoot(&window, QStringLiteral("audit-log"));

        window.showPage(MainWindow::Page::Settings);
        QTRY_VERIFY(window.settings().findChild<QLabel*>(QStringLiteral("serverNote"))->text().size() > 0);
        shoot(&window, QStringLiteral("settings"));

        auto* about = new AboutDialog(m_desktop.settings(), &window);
        about->show();
        shoot(about, QStringLiteral("about"));
        about->close();
    }
};

GATEHOUSE_GUI_TEST_MAIN(ScreenshotTour)
#include "ScreenshotTour.moc"
