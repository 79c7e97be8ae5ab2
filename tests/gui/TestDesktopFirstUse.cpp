#include "DesktopDriver.h"
#include "FakeOpenAI.h"
#include "GuiTestMain.h"
#include "HttpTestClient.h"

#include "app/MainWindow.h"
#include "app/SignInDialog.h"
#include "models/JsonTableModel.h"
#include "models/TraceModel.h"
#include "pages/DashboardPage.h"
#include "pages/GatewayKeyDialog.h"
#include "pages/GatewayKeysPage.h"
#include "pages/NewKeyDialog.h"
#include "pages/ProviderKeyDialog.h"
#include "pages/ProviderKeysPage.h"
#include "pages/RequestLogPage.h"

#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>

// The first use of the desktop app, driven through its widgets against a real in-process gateway and a fake OpenAI:
// the wizard, a provider key added and tested, a gateway key created and copied, a call made with it, and the call
// seen in the request log and the dashboard. Then what goes wrong: a key the provider rate-limits, a wrong password.
class TestDesktopFirstUse : public QObject
{
    Q_OBJECT

private:
    static constexpr const char* kProviderSecret = "sk-fake-provider-secret-1";

    DesktopDriver m_desktop;
    FakeOpenAI m_openai;
    QString m_gatewayKey;

    static QPushButton* button(QWidget* parent, const QString& name)
    {
        auto* found = parent->findChild<QPushButton*>(name);
        if (!found)
            qWarning("no button %s", qPrintable(name));
        return found;
    }

    static QDialogButtonBox* buttons(QWidget* dialog) { return dialog->findChild<QDialogButtonBox*>(); }

    HttpTestClient::Response chat(const QString& key)
    {
        HttpTestClient client;
        return client.post(m_desktop.app().gateway().proxyUrl().resolved(QUrl(QStringLiteral("/v1/chat/completions"))),
                           "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}",
                           {{"Authorization", "Bearer " + key.toLatin1()}, {"Content-Type", "application/json"}});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_openai.listen());
        m_openai.addApiKey(QLatin1String(kProviderSecret));
    }

    void setupSignsInByItself()
    {
        QVERIFY(m_desktop.launchAndSetUp());
        DesktopApp& app = m_desktop.app();
        QVERIFY(m_desktop.settings().isSetUp());
        QVERIFY(app.window()
                    .findChild<QLabel*>(QStringLiteral("gatewayStatus"))
                    ->text()
                    .contains(QLatin1String("127.0.0.1")));
        // Both listeners are on loopback, and /api is not served on the proxy port.
        QCOMPARE(app.gateway().proxyUrl().host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(app.gateway().adminUrl().host(), QStringLiteral("127.0.0.1"));
        HttpTestClient client;
        QCOMPARE(client.get(app.gateway().proxyUrl().resolved(QUrl(QStringLiteral("/api/system/info")))).status, 404);
        // The master key went to a file of the user's only, as chosen.
        QCOMPARE(QFile(m_desktop.dataDir() + QStringLiteral("/master.key")).permissions() &
                     (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther),
                 QFile::Permissions());
        // The provider type is pointed at the fake (an admin's change, made through the same API).
        QVERIFY(m_desktop.pointProviderAt(QStringLiteral("openai"), m_openai.url()));
    }

    void addAndTestAProviderKey()
    {
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::ProviderKeys);
        ProviderKeysPage& page = window.providerKeys();
        button(&page, QStringLiteral("addProviderKey"))->click();
        auto* dialog = DesktopDriver::waitForWidget<ProviderKeyDialog>();
        QVERIFY(dialog);
        auto* type = dialog->findChild<QComboBox*>(QStringLiteral("providerType"));
        QTRY_VERIFY(type->count() > 0);
        type->setCurrentIndex(type->findText(QStringLiteral("OpenAI")));
        dialog->findChild<QLineEdit*>(QStringLiteral("keyName"))->setText(QStringLiteral("my openai key"));
        // A secret the server refuses: its message shows in the dialog, which stays open.
        dialog->findChild<QLineEdit*>(QStringLiteral("secret"))->setText(QStringLiteral("short"));
        buttons(dialog)->button(QDialogButtonBox::Ok)->click();
        auto* error = dialog->findChild<QLabel*>(QStringLiteral("dialogError"));
        QTRY_VERIFY(error->text().contains(QLatin1String("secret")));
        QVERIFY(dialog->isVisible());
        dialog->findChild<QLineEdit*>(QStringLiteral("secret"))->setText(QLatin1String(kProviderSecret));
        buttons(dialog)->button(QDialogButtonBox::Ok)->click();
        QTRY_COMPARE(page.model().rowCount(), 1);
        QCOMPARE(page.model().data(page.model().index(0, 0)).toString(), QStringLiteral("my openai key"));
        // Shown masked, never whole.
        QVERIFY(!page.model().data(page.model().index(0, 2)).toString().contains(QLatin1String(kProviderSecret)));

        auto* table = page.findChild<QTableView*>(QStringLiteral("providerKeysTable"));
        table->selectRow(0);
        // Edit: a new name; the secret field left empty keeps the stored secret.
        button(&page, QStringLiteral("editProviderKey"))->click();
        auto* edit = DesktopDriver::waitForWidget<ProviderKeyDialog>();
        QVERIFY(edit);
        QVERIFY(!edit->findChild<QComboBox*>(QStringLiteral("providerType"))->isEnabled());
        edit->findChild<QLineEdit*>(QStringLiteral("keyName"))->setText(QStringLiteral("openai main"));
        QTRY_VERIFY(buttons(edit)->button(QDialogButtonBox::Ok)->isEnabled()); // once the providers are listed
        QCOMPARE(edit->findChild<QComboBox*>(QStringLiteral("providerType"))->currentText(), QStringLiteral("OpenAI"));
        buttons(edit)->button(QDialogButtonBox::Ok)->click();
        QTRY_COMPARE(page.model().data(page.model().index(0, 0)).toString(), QStringLiteral("openai main"));
        table->selectRow(0);
        button(&page, QStringLiteral("testProviderKey"))->click();
        auto* message = page.findChild<QLabel*>(QStringLiteral("providerKeysMessage"));
        QTRY_VERIFY_WITH_TIMEOUT(message->text().contains(QLatin1String("works")), 15'000);
    }

    void createAGatewayKeyAndCallWithIt()
    {
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::GatewayKeys);
        GatewayKeysPage& page = window.gatewayKeys();
        button(&page, QStringLiteral("createGatewayKey"))->click();
        auto* dialog = DesktopDriver::waitForWidget<GatewayKeyDialog>();
        QVERIFY(dialog);
        auto* type = dialog->findChild<QComboBox*>(QStringLiteral("providerType"));
        QTRY_VERIFY(type->count() > 0);
        type->setCurrentIndex(type->findText(QStringLiteral("OpenAI")));
        auto* pool = dialog->findChild<QListWidget*>(QStringLiteral("pool"));
        QTRY_COMPARE(pool->count(), 1);
        QCOMPARE(pool->item(0)->checkState(), Qt::Checked);
        dialog->findChild<QLineEdit*>(QStringLiteral("keyName"))->setText(QStringLiteral("laptop"));
        buttons(dialog)->button(QDialogButtonBox::Ok)->click();

        auto* shown = DesktopDriver::waitForWidget<NewKeyDialog>();
        QVERIFY(shown);
        button(shown, QStringLiteral("copyKey"))->click();
        m_gatewayKey = QApplication::clipboard()->text();
        QVERIFY2(m_gatewayKey.startsWith(QLatin1String("gh-")), qPrintable(m_gatewayKey));
        QCOMPARE(shown->findChild<QLineEdit*>(QStringLiteral("newKey"))->text(), m_gatewayKey);
        shown->accept();
        QTRY_COMPARE(page.model().rowCount(), 1);
        // The list shows only the prefix.
        QVERIFY(!page.model().data(page.model().index(0, 1)).toString().contains(m_gatewayKey));

        m_openai.setUsage({.promptTokens = 21, .completionTokens = 8});
        const auto answer = chat(m_gatewayKey);
        QCOMPARE(answer.status, 200);
    }

    void theCallAppearsInTheLogAndTheDashboard()
    {
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::RequestLog);
        TraceModel& log = window.requestLog().model();
        QTRY_VERIFY_WITH_TIMEOUT(log.rowCount() >= 1, 10'000);
        const QJsonObject trace = log.trace(0);
        QCOMPARE(trace[QLatin1String("status")].toInt(), 200);
        QCOMPARE(trace[QLatin1String("model")].toString(), QStringLiteral("gpt-4o-mini"));
        QCOMPARE(trace[QLatin1String("totalTokens")].toInt(), 29);
        QCOMPARE(log.data(log.index(0, TraceModel::Tokens)).toString(), QLocale().toString(29));

        // A new request appears at the top while the page is shown.
        QCOMPARE(chat(m_gatewayKey).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(log.rowCount() >= 2, 10'000);

        window.showPage(MainWindow::Page::Dashboard);
        DashboardPage& dashboard = window.dashboard();
        QTRY_VERIFY_WITH_TIMEOUT(dashboard.overview()[QLatin1String("requests")].toInt() >= 2, 10'000);
        QCOMPARE(dashboard.overview()[QLatin1String("tokens")][QLatin1String("total")].toInt(), 58);
        QCOMPARE(dashboard.findChild<QLabel*>(QStringLiteral("tokens"))->text(), QLocale().toString(58));
        // Percentiles come from histogram buckets: the page says they are upper bounds.
        const QJsonObject duration =
            dashboard.overview()[QLatin1String("latency")][QLatin1String("durationMs")].toObject();
        QCOMPARE(dashboard.findChild<QLabel*>(QStringLiteral("latency"))->text(),
                 QStringLiteral("≤ %1 ms / ≤ %2 ms")
                     .arg(duration[QLatin1String("p50")].toInteger())
                     .arg(duration[QLatin1String("p95")].toInteger()));
    }

    void aRateLimitedKeyShowsAsCoolingDown()
    {
        m_openai.queueBehavior(FakeBehavior::rateLimited(120));
        QCOMPARE(chat(m_gatewayKey).status, 429);
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::ProviderKeys);
        ProviderKeysPage& page = window.providerKeys();
        page.reload();
        QTRY_VERIFY_WITH_TIMEOUT(
            page.model().data(page.model().index(0, 4)).toString().startsWith(QLatin1String("Cooling down until")),
            10'000);
        // The admin vouches for the key: Reset health brings it back at once.
        page.findChild<QTableView*>(QStringLiteral("providerKeysTable"))->selectRow(0);
        button(&page, QStringLiteral("resetProviderKeyHealth"))->click();
        QTRY_COMPARE(page.model().data(page.model().index(0, 4)).toString(), QStringLiteral("Healthy"));
        QCOMPARE(chat(m_gatewayKey).status, 200);
    }

    void aWrongPasswordIsShownAndTheAppStaysUsable()
    {
        DesktopApp& app = m_desktop.app();
        app.signOut();
        auto* dialog = DesktopDriver::waitForWidget<SignInDialog>();
        QVERIFY(dialog);
        dialog->findChild<QLineEdit*>(QStringLiteral("password"))->setText(QStringLiteral("not-the-password"));
        buttons(dialog)->button(QDialogButtonBox::Ok)->click();
        auto* error = dialog->findChild<QLabel*>(QStringLiteral("dialogError"));
        QTRY_VERIFY(!error->text().isEmpty());
        QVERIFY(error->text().contains(QLatin1String("invalid username or password")));
        QVERIFY(dialog->isVisible());
        // The gateway kept serving meanwhile.
        QCOMPARE(chat(m_gatewayKey).status, 200);

        QSignalSpy ready(&app, &DesktopApp::ready);
        dialog->findChild<QLineEdit*>(QStringLiteral("password"))->setText(QLatin1String(DesktopDriver::kPassword));
        buttons(dialog)->button(QDialogButtonBox::Ok)->click();
        QVERIFY(ready.wait(10'000));
        QVERIFY(m_desktop.call("GET", QStringLiteral("/api/auth/me")).ok());
    }

    void theLogFiltersByStatusAndKey()
    {
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::RequestLog);
        RequestLogPage& page = window.requestLog();
        TraceModel& log = page.model();
        auto* status = page.findChild<QComboBox*>(QStringLiteral("statusFilter"));
        status->setCurrentIndex(status->findData(QStringLiteral("4xx")));
        QTRY_COMPARE(log.total(), 1); // the rate-limited call
        QCOMPARE(log.rowCount(), 1);
        QCOMPARE(log.trace(0)[QLatin1String("status")].toInt(), 429);

        status->setCurrentIndex(0);
        auto* key = page.findChild<QComboBox*>(QStringLiteral("keyFilter"));
        QTRY_COMPARE(key->count(), 2); // all keys, and laptop
        QVERIFY(key->itemText(1).startsWith(QLatin1String("laptop (gh-")));
        key->setCurrentIndex(1);
        QTRY_VERIFY(log.rowCount() >= 5);
        for (int row = 0; row < log.rowCount(); ++row)
            QCOMPARE(log.trace(row)[QLatin1String("gatewayKeyId")].toInteger(), key->currentData().toLongLong());

        // The filtered set as CSV: a header and one line per request.
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("requests.csv"));
        QSignalSpy exported(&page, &RequestLogPage::exported);
        page.exportCsv(file);
        QVERIFY(exported.wait(10'000));
        QFile csv(file);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), log.total() + 1);
        QVERIFY(lines.first().startsWith("createdAt,requestId,gatewayKeyId"));
        QVERIFY(lines.at(1).contains("\"gpt-4o-mini\""));
        QCOMPARE(exported.first().at(1).toInt(), int(log.total()));
    }
};

GATEHOUSE_GUI_TEST_MAIN(TestDesktopFirstUse)
#include "TestDesktopFirstUse.moc"
