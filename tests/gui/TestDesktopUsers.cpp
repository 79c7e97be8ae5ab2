#include "DesktopDriver.h"
#include "GuiTestMain.h"

#include "app/AboutDialog.h"
#include "app/MainWindow.h"
#include "app/SignInDialog.h"
#include "models/JsonTableModel.h"
#include "pages/AuditPage.h"
#include "pages/PricingPage.h"
#include "pages/UsersPage.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
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

private slots:
    void initTestCase()
    {
        QVERIFY(m_desktop.launchAndSetUp());
        QCOMPARE(m_desktop.offeredPages(),
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
        QDialog* refused = m_desktop.addUser(QStringLiteral("carol"), QStringLiteral("short"));
        QVERIFY(refused);
        auto* error = refused->findChild<QLabel*>(QStringLiteral("dialogError"));
        QTRY_VERIFY(error->text().contains(QLatin1String("password")));
        QVERIFY(refused->isVisible());
        refused->reject();

        QDialog* dialog = m_desktop.addUser(QStringLiteral("carol"), QStringLiteral("carol-password-1"));
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
        // The entry in full below the list.
        audit.findChild<QTableView*>(QStringLiteral("auditTable"))->selectRow(0);
        const QString detail = audit.findChild<QPlainTextEdit*>(QStringLiteral("auditDetail"))->toPlainText();
        QVERIFY2(detail.contains(QLatin1String("\"user.create\"")) && detail.contains(QLatin1String("carol")),
                 qPrintable(detail));
        // By period and by person: carol has done nothing yet; the admin did it within the hour.
        auto* period = audit.findChild<QComboBox*>(QStringLiteral("auditPeriod"));
        period->setCurrentIndex(period->findData(1));
        QTRY_COMPARE(audit.model().rowCount(), 1);
        auto* actor = audit.findChild<QComboBox*>(QStringLiteral("auditActor"));
        QTRY_VERIFY(actor->findText(QStringLiteral("carol")) > 0);
        actor->setCurrentIndex(actor->findText(QStringLiteral("carol")));
        QTRY_COMPARE(audit.model().rowCount(), 0);
        actor->setCurrentIndex(actor->findText(QStringLiteral("admin")));
        QTRY_COMPARE(audit.model().rowCount(), 1);
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
        QCOMPARE(m_desktop.offeredPages(),
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
