#include "DesktopDriver.h"
#include "GuiTestMain.h"

#include "app/AboutDialog.h"
#include "app/MainWindow.h"
#include "app/SignInDialog.h"
#include "models/JsonTableModel.h"
#include "pages/AuditPage.h"
#include "pages/PricingPage.h"
#include "pages/ProviderTypeDialog.h"
#include "pages/ProviderTypesPage.h"
#include "pages/UsersPage.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QToolBar>

// The Users page, and a window that offers only what the signed-in role may do: an admin adds a user of role
// `user`, who then signs in and sees their own pages only; the server's refusal of a bad password shows at the page.
class TestDesktopUsers : public QObject
{
    Q_OBJECT

private:
    DesktopDriver m_desktop;

    QStringList offeredPages()
    {
        QStringList pages;
        auto* sidebar = m_desktop.app().window().findChild<QListWidget*>(QStringLiteral("sidebar"));
        for (int row = 0; row < sidebar->count(); ++row) {
            if (!sidebar->item(row)->isHidden())
                pages << sidebar->item(row)->text();
        }
        return pages;
    }

    QDialog* addUser(const QString& username, const QString& password)
    {
        UsersPage& page = m_desktop.app().window().users();
        page.findChild<QPushButton*>(QStringLiteral("addUser"))->click();
        auto* dialog = DesktopDriver::waitForWidget<QDialog>(QStringLiteral("userDialog"));
        if (!dialog)
            return nullptr;
        auto* role = dialog->findChild<QComboBox*>(QStringLiteral("role"));
        if (!QTest::qWaitFor([role] { return role->count() > 0; }, 10'000))
            return nullptr;
        role->setCurrentText(QStringLiteral("user"));
        dialog->findChild<QLineEdit*>(QStringLiteral("username"))->setText(username);
        dialog->findChild<QLineEdit*>(QStringLiteral("password"))->setText(password);
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        return dialog;
    }

private slots:
    void initTestCase()
    {
        DesktopApp& app = m_desktop.launch();
        QSignalSpy ready(&app, &DesktopApp::ready);
        QVERIFY(m_desktop.completeSetup(false));
        QVERIFY(ready.wait(30'000));
        QCOMPARE(offeredPages(),
                 (QStringList{QStringLiteral("Dashboard"), QStringLiteral("Provider keys"), QStringLiteral("Providers"),
                              QStringLiteral("Pricing"), QStringLiteral("Gateway keys"), QStringLiteral("Request log"),
                              QStringLiteral("Key health"), QStringLiteral("Users"), QStringLiteral("Roles"),
                              QStringLiteral("Audit log"), QStringLiteral("Settings")}));
    }

    void anAdminAddsAUser()
    {
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::Users);
        UsersPage& page = window.users();
        QTRY_COMPARE(page.model().rowCount(), 1); // admin

        // A password the server's policy refuses: its words in the dialog, which stays open.
        QDialog* refused = addUser(QStringLiteral("carol"), QStringLiteral("short"));
        QVERIFY(refused);
        auto* error = refused->findChild<QLabel*>(QStringLiteral("dialogError"));
        QTRY_VERIFY(error->text().contains(QLatin1String("password")));
        QVERIFY(refused->isVisible());
        refused->reject();

        QDialog* dialog = addUser(QStringLiteral("carol"), QStringLiteral("carol-password-1"));
        QVERIFY(dialog);
        QTRY_COMPARE(page.model().rowCount(), 2);
        QCOMPARE(page.model().row(page.model().rowOfId(2)).value(QLatin1String("role")).toString(),
                 QStringLiteral("user"));
    }

    void theAuditLogShowsIt()
    {
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::Audit);
        AuditPage& audit = window.audit();
        auto* action = audit.findChild<QComboBox*>(QStringLiteral("auditAction"));
        action->setCurrentIndex(action->findData(QStringLiteral("user.*")));
        QTRY_COMPARE(audit.model().rowCount(), 1); // the refused attempt wrote nothing
        const QJsonObject entry = audit.model().row(0);
        QCOMPARE(entry.value(QLatin1String("action")).toString(), QStringLiteral("user.create"));
        QCOMPARE(entry.value(QLatin1String("actorName")).toString(), QStringLiteral("admin"));
        QCOMPARE(entry.value(QLatin1String("details"))[QLatin1String("username")].toString(), QStringLiteral("carol"));
    }

    // An objection of the server names its field; the dialog shows it there, and a good value saves.
    void aProviderTypeObjectionShowsAtItsField()
    {
        MainWindow& window = m_desktop.app().window();
        window.showPage(MainWindow::Page::Providers);
        ProviderTypesPage& page = window.providerTypes();
        QTRY_VERIFY(page.model().rowCount() >= 3);
        auto* table = page.findChild<QTableView*>(QStringLiteral("providerTypesTable"));
        int openai = -1;
        for (int row = 0; row < page.model().rowCount(); ++row) {
            if (page.model().row(row).value(QLatin1String("name")).toString() == QLatin1String("openai"))
                openai = row;
        }
        QVERIFY(openai >= 0);
        table->selectRow(openai);
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
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QTRY_COMPARE(page.model().row(openai).value(QLatin1String("baseUrl")).toString(),
                     QStringLiteral("https://openai-proxy.example.com"));
    }

    void aboutSaysWhatAndWhere()
    {
        MainWindow& window = m_desktop.app().window();
        for (QAction* action : window.findChild<QToolBar*>(QStringLiteral("gatewayToolBar"))->actions()) {
            if (action->objectName() == QLatin1String("about"))
                action->trigger();
        }
        auto* about = DesktopDriver::waitForWidget<AboutDialog>();
        QVERIFY(about);
        const QString text = about->findChild<QLabel*>(QStringLiteral("aboutText"))->text();
        QVERIFY(text.contains(QLatin1String(GATEHOUSE_VERSION)));
        QVERIFY(text.contains(m_desktop.dataDir()));
        QVERIFY(text.contains(QLatin1String("OpenSSL 3")));
        about->accept();
    }

    void aUserSeesOnlyTheirPages()
    {
        DesktopApp& app = m_desktop.app();
        app.signOut();
        auto* dialog = DesktopDriver::waitForWidget<SignInDialog>();
        QVERIFY(dialog);
        QSignalSpy ready(&app, &DesktopApp::ready);
        dialog->findChild<QLineEdit*>(QStringLiteral("username"))->setText(QStringLiteral("carol"));
        dialog->findChild<QLineEdit*>(QStringLiteral("password"))->setText(QStringLiteral("carol-password-1"));
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
        QVERIFY(ready.wait(10'000));
        QCOMPARE(offeredPages(),
                 (QStringList{QStringLiteral("Dashboard"), QStringLiteral("Pricing"), QStringLiteral("Gateway keys"),
                              QStringLiteral("Request log"), QStringLiteral("Settings")}));
        // Prices are there to read: the buttons that change them are not.
        app.window().showPage(MainWindow::Page::Pricing);
        QVERIFY(app.window().pricing().isVisible());
        QVERIFY(!app.window().pricing().findChild<QPushButton*>(QStringLiteral("addPrice"))->isVisible());
        QTRY_VERIFY(app.window().pricing().model().rowCount() > 0);
        // Asking for a page the role may not see opens one it may.
        app.window().showPage(MainWindow::Page::Users);
        QVERIFY(!app.window().users().isVisible());
    }
};

GATEHOUSE_GUI_TEST_MAIN(TestDesktopUsers)
#include "TestDesktopUsers.moc"
