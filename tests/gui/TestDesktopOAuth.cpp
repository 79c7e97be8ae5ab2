#include "DesktopDriver.h"
#include "FakeAuthorizationServer.h"
#include "GuiTestMain.h"

#include "app/MainWindow.h"
#include "models/JsonTableModel.h"
#include "pages/ConnectAccountDialog.h"
#include "pages/ProviderKeysPage.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QTcpServer>
#include <QUrlQuery>

namespace {

// The system browser, as the desktop app sees it through QDesktopServices: it signs in at the fake authorization
// server (a user who approves) and, like a real browser, follows the redirect back unless told not to.
class FakeBrowser : public QObject
{
    Q_OBJECT

public:
    explicit FakeBrowser(FakeAuthorizationServer& server) : m_server(server) {}

    bool followsRedirect = true;
    QUrl endedOn; // the address the browser was sent back to

public slots:
    void openUrl(const QUrl& url)
    {
        endedOn = m_server.approve(url);
        if (followsRedirect && !endedOn.isEmpty()) {
            QNetworkReply* reply = m_network.get(QNetworkRequest(endedOn));
            connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
        }
    }

private:
    FakeAuthorizationServer& m_server;
    QNetworkAccessManager m_network;
};

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

// "Connect account" on the Provider keys page: the browser's part through QDesktopServices, the answer caught on a
// loopback redirect or pasted, the account listed as a key of its own.
class TestDesktopOAuth : public QObject
{
    Q_OBJECT

private:
    DesktopDriver m_desktop;
    FakeAuthorizationServer m_oauth;
    FakeBrowser m_browser{m_oauth};
    qint64 m_openai = 0;

    qint64 addConfig(const QString& name, const QString& redirectUri)
    {
        const ApiResult config =
            m_desktop.call("POST", QStringLiteral("/api/oauth/configs"),
                           {{QStringLiteral("providerTypeId"), m_openai},
                            {QStringLiteral("name"), name},
                            {QStringLiteral("authorizeUrl"), m_oauth.url(QStringLiteral("/authorize")).toString()},
                            {QStringLiteral("tokenUrl"), m_oauth.url(QStringLiteral("/token")).toString()},
                            {QStringLiteral("clientId"), QLatin1String(FakeAuthorizationServer::kClientId)},
                            {QStringLiteral("redirectUri"), redirectUri}});
        return config.object()[QLatin1String("id")].toInteger();
    }

    // Opens the dialog from the page, picks `config`, names the account and presses Sign in.
    ConnectAccountDialog* signIn(const QString& config, const QString& name)
    {
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::ProviderKeys);
        window.providerKeys().findChild<QPushButton*>(QStringLiteral("connectAccount"))->click();
        auto* dialog = DesktopDriver::waitForWidget<ConnectAccountDialog>();
        if (!dialog)
            return nullptr;
        auto* configs = dialog->findChild<QComboBox*>(QStringLiteral("oauthConfig"));
        if (!QTest::qWaitFor([configs] { return configs->count() > 0; }, 10'000))
            return nullptr;
        configs->setCurrentIndex(configs->findText(config, Qt::MatchStartsWith));
        dialog->findChild<QLineEdit*>(QStringLiteral("accountName"))->setText(name);
        dialog->findChild<QPushButton*>(QStringLiteral("signInButton"))->click();
        return dialog;
    }

    QString secretColumnOf(const QString& name)
    {
        const JsonTableModel& model = m_desktop.app().window().providerKeys().model();
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.data(model.index(row, 0)).toString() == name)
                return model.data(model.index(row, 2)).toString();
        }
        return {};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_oauth.listen());
        QDesktopServices::setUrlHandler(QStringLiteral("http"), &m_browser, "openUrl");
        QVERIFY(m_desktop.launchAndSetUp());
        m_openai = m_desktop
                       .call("GET", QStringLiteral("/api/provider-types"), {},
                             QUrlQuery{{QStringLiteral("q"), QStringLiteral("openai")}})
                       .object()[QLatin1String("items")][0][QLatin1String("id")]
                       .toInteger();
        QVERIFY(m_openai > 0);
    }

    void cleanupTestCase() { QDesktopServices::unsetUrlHandler(QStringLiteral("http")); }

    void theBrowsersAnswerIsCaughtOnALoopbackRedirect()
    {
        const QString redirect = QStringLiteral("http://127.0.0.1:%1/auth/callback").arg(freePort());
        m_oauth.setRedirectUri(redirect);
        QVERIFY(addConfig(QStringLiteral("Loopback"), redirect) > 0);
        m_browser.followsRedirect = true;
        QPointer<ConnectAccountDialog> dialog = signIn(QStringLiteral("Loopback"), QStringLiteral("caught account"));
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), 15'000);
        auto* message =
            m_desktop.app().window().providerKeys().findChild<QLabel*>(QStringLiteral("providerKeysMessage"));
        QTRY_COMPARE(message->text(), QStringLiteral("Connected caught account."));
        QTRY_COMPARE(secretColumnOf(QStringLiteral("caught account")), QStringLiteral("OAuth account"));
        QCOMPARE(m_oauth.lastTokenError(), QString());
    }

    void aForgedAnswerIsIgnoredAndATakenPortMeansPasting()
    {
        const quint16 port = freePort();
        const QString redirect = QStringLiteral("http://127.0.0.1:%1/auth/callback").arg(port);
        m_oauth.setRedirectUri(redirect);
        QVERIFY(addConfig(QStringLiteral("Guarded"), redirect) > 0);
        m_browser.followsRedirect = false;
        m_browser.endedOn.clear();
        QPointer<ConnectAccountDialog> dialog = signIn(QStringLiteral("Guarded"), QStringLiteral("guarded account"));
        QVERIFY(dialog);
        QTRY_VERIFY(!m_browser.endedOn.isEmpty());

        // Another page (or program) on this computer sends a callback of its own: refused, and the flow goes on.
        QNetworkAccessManager network;
        QUrl forged = m_browser.endedOn;
        QUrlQuery query(forged);
        query.removeAllQueryItems(QStringLiteral("state"));
        query.addQueryItem(QStringLiteral("state"), QStringLiteral("forged"));
        forged.setQuery(query);
        QNetworkReply* refused = network.get(QNetworkRequest(forged));
        QTRY_VERIFY(refused->isFinished());
        QCOMPARE(refused->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 400);
        QVERIFY(dialog->isVisible());
        QNetworkReply* real = network.get(QNetworkRequest(m_browser.endedOn));
        QTRY_VERIFY(real->isFinished());
        QCOMPARE(real->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), 15'000);
        QTRY_COMPARE(secretColumnOf(QStringLiteral("guarded account")), QStringLiteral("OAuth account"));

        // The port taken (the tool whose flow it is, listening): the dialog asks for the address instead.
        QTcpServer tool;
        QVERIFY(tool.listen(QHostAddress::LocalHost, port));
        QPointer<ConnectAccountDialog> pasting = signIn(QStringLiteral("Guarded"), QStringLiteral("second account"));
        QVERIFY(pasting);
        auto* status = pasting->findChild<QLabel*>(QStringLiteral("connectStatus"));
        QTRY_VERIFY(status->text().contains(QLatin1String("paste")));
        pasting->reject();
    }

    void theAnswerCanBePasted()
    {
        const QString redirect = QStringLiteral("https://app.example/oauth/callback");
        m_oauth.setRedirectUri(redirect);
        QVERIFY(addConfig(QStringLiteral("Pasted"), redirect) > 0);
        m_browser.followsRedirect = false; // nothing listens there: the browser shows an error page
        m_browser.endedOn.clear();
        QPointer<ConnectAccountDialog> dialog = signIn(QStringLiteral("Pasted"), QStringLiteral("pasted account"));
        QVERIFY(dialog);
        QTRY_VERIFY(!m_browser.endedOn.isEmpty());
        auto* callback = dialog->findChild<QLineEdit*>(QStringLiteral("callbackUrl"));
        QTRY_VERIFY(callback->isEnabled());
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("connectStatus"))->text().contains(QLatin1String("paste")));

        // A wrong address first: the server's words in the dialog, which stays open.
        callback->setText(QStringLiteral("https://app.example/oauth/callback?nothing=here"));
        dialog->findChild<QPushButton*>(QStringLiteral("finishButton"))->click();
        auto* error = dialog->findChild<QLabel*>(QStringLiteral("dialogError"));
        QTRY_VERIFY(error->text().contains(QLatin1String("code and state")));
        QVERIFY(dialog->isVisible());

        // Then the right one, after signing in again.
        m_browser.endedOn.clear();
        dialog->findChild<QPushButton*>(QStringLiteral("signInButton"))->click();
        QTRY_VERIFY(!m_browser.endedOn.isEmpty());
        QTRY_VERIFY(callback->isEnabled());
        callback->setText(m_browser.endedOn.toString(QUrl::FullyEncoded));
        dialog->findChild<QPushButton*>(QStringLiteral("finishButton"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), 15'000);
        QTRY_COMPARE(secretColumnOf(QStringLiteral("pasted account")), QStringLiteral("OAuth account"));
    }
};

GATEHOUSE_GUI_TEST_MAIN(TestDesktopOAuth)
#include "TestDesktopOAuth.moc"
