#include "DesktopDriver.h"

#include "app/MainWindow.h"
#include "config/ConfigLoader.h"
#include "pages/UsersPage.h"
#include "setup/SetupWizard.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>

DesktopDriver::DesktopDriver()
    : m_settings(std::make_unique<DesktopSettings>(m_dir.filePath(QStringLiteral("gatehouse.ini"))))
{
    m_settings->setDataDir(dataDir());
}

DesktopDriver::~DesktopDriver()
{
    m_app.reset();
}

DesktopApp& DesktopDriver::launch(bool masterKeyInKeychain)
{
    m_app.reset();
    m_app = std::make_unique<DesktopApp>(*m_settings, [masterKeyInKeychain](const DesktopSettings& settings) {
        Config config;
        config.dataDir = settings.dataDir();
        config.proxy = {QHostAddress(QHostAddress::LocalHost), 0};
        config.admin = {QHostAddress(QHostAddress::LocalHost), 0};
        config.adminOnProxyPort = false;
        config.allowKeychain = masterKeyInKeychain && settings.useKeychain();
        config.workers = 1;
        config.healthProbeIntervalMs = 0; // probes only when the user asks (Test)
        config.passwordHashLogN = PasswordHasher::kMinLogN;
        return Result<Config>(config);
    });
    m_app->start();
    return *m_app;
}

bool DesktopDriver::completeSetup(bool keychain)
{
    SetupWizard* wizard = waitForWidget<SetupWizard>();
    if (!wizard) {
        QTest::qFail("the setup wizard did not appear", __FILE__, __LINE__);
        return false;
    }
    wizard->findChild<QLineEdit*>(QStringLiteral("dataDir"))->setText(dataDir());
    wizard->next();
    wizard->findChild<QLineEdit*>(QStringLiteral("password"))->setText(QLatin1String(kPassword));
    wizard->findChild<QLineEdit*>(QStringLiteral("confirmPassword"))->setText(QLatin1String(kPassword));
    wizard->next();
    wizard->findChild<QRadioButton*>(keychain ? QStringLiteral("keychain") : QStringLiteral("keyFile"))
        ->setChecked(true);
    wizard->button(QWizard::FinishButton)->click();
    return true;
}

bool DesktopDriver::launchAndSetUp()
{
    DesktopApp& app = launch();
    QSignalSpy ready(&app, &DesktopApp::ready);
    return completeSetup(false) && ready.wait(30'000);
}

bool DesktopDriver::pointProviderAt(const QString& name, const QUrl& url)
{
    const ApiResult types =
        call("GET", QStringLiteral("/api/provider-types"), {}, QUrlQuery{{QStringLiteral("q"), name}});
    const qint64 id = types.object()[QLatin1String("items")][0][QLatin1String("id")].toInteger();
    return id > 0 && call("PATCH", QStringLiteral("/api/provider-types/%1").arg(id),
                          {{QStringLiteral("baseUrl"), url.toString()}})
                         .ok();
}

ApiResult DesktopDriver::call(const QByteArray& method, const QString& path, const QJsonObject& body,
                              const QUrlQuery& query)
{
    std::optional<ApiResult> answer;
    QObject context;
    const auto done = [&answer](const ApiResult& result) { answer = result; };
    AdminClient& client = m_app->client();
    if (method == "GET")
        client.get(path, query, &context, done);
    else if (method == "POST")
        client.post(path, body, &context, done);
    else if (method == "PATCH")
        client.patch(path, body, &context, done);
    else
        client.remove(path, &context, done);
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000))
        return ApiResult{};
    return *answer;
}

QStringList DesktopDriver::offeredPages()
{
    QStringList pages;
    auto* sidebar = m_app->window().findChild<QListWidget*>(QStringLiteral("sidebar"));
    for (int row = 0; row < sidebar->count(); ++row) {
        if (!sidebar->item(row)->isHidden())
            pages << sidebar->item(row)->text();
    }
    return pages;
}

QDialog* DesktopDriver::addUser(const QString& username, const QString& password)
{
    m_app->window().showPage(MainWindow::Page::Users);
    m_app->window().users().findChild<QPushButton*>(QStringLiteral("addUser"))->click();
    auto* dialog = waitForWidget<QDialog>(QStringLiteral("userDialog"));
    auto* role = dialog ? dialog->findChild<QComboBox*>(QStringLiteral("role")) : nullptr;
    if (!role || !QTest::qWaitFor([role] { return role->count() > 0; }, 10'000)) {
        QTest::qFail("the Add user dialog did not appear with its roles", __FILE__, __LINE__);
        return nullptr;
    }
    role->setCurrentText(QStringLiteral("user"));
    dialog->findChild<QLineEdit*>(QStringLiteral("username"))->setText(username);
    dialog->findChild<QLineEdit*>(QStringLiteral("password"))->setText(password);
    dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    return dialog;
}
