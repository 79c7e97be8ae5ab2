#include "DesktopDriver.h"
#include "GuiTestMain.h"

#include "app/MainWindow.h"

#include <QAbstractButton>
#include <QAccessible>
#include <QSignalSpy>
#include <QStackedWidget>

// Every page, for a keyboard and a screen reader: each control the user can reach has a name a screen reader can
// say, and Tab reaches every control of the page from the sidebar.
class TestDesktopAccessibility : public QObject
{
    Q_OBJECT

private:
    DesktopDriver m_desktop;

    // The visible controls of `root` that take focus from the keyboard.
    static QList<QWidget*> focusable(QWidget* root)
    {
        QList<QWidget*> found;
        for (QWidget* widget : root->findChildren<QWidget*>()) {
            if (widget->isVisibleTo(root->window()) && widget->isEnabled() && (widget->focusPolicy() & Qt::TabFocus) &&
                !widget->focusProxy())
                found << widget;
        }
        return found;
    }

    static QString spokenName(QWidget* widget)
    {
        QAccessibleInterface* accessible = QAccessible::queryAccessibleInterface(widget);
        return accessible ? accessible->text(QAccessible::Name).trimmed() : QString();
    }

    static QString describe(QWidget* widget)
    {
        return QStringLiteral("%1 '%2'").arg(QLatin1String(widget->metaObject()->className()), widget->objectName());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_desktop.launchAndSetUp());
        DesktopApp& app = m_desktop.app();
        app.window().activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&app.window()));
    }

    void everyPage_data()
    {
        QTest::addColumn<MainWindow::Page>("page");
        for (MainWindow::Page page : m_desktop.app().window().offeredPages())
            QTest::addRow("%d", int(page)) << page;
    }

    void everyPage()
    {
        QFETCH(MainWindow::Page, page);
        MainWindow& window = m_desktop.app().window();
        window.showPage(page);
        QTest::qWait(200); // the page's first answer fills its lists
        QWidget* shown = window.centralWidget();
        const QList<QWidget*> controls = focusable(shown);
        QVERIFY(!focusable(window.findChild<QStackedWidget*>()->currentWidget())
                     .isEmpty()); // the page's, not only the sidebar
        QStringList nameless;
        for (QWidget* control : controls) {
            if (spokenName(control).isEmpty())
                nameless << describe(control);
        }
        QVERIFY2(nameless.isEmpty(), qPrintable(nameless.join(QStringLiteral(", "))));

        // Tab from the sidebar visits every control of the page before it comes round again.
        QWidget* sidebar = window.findChild<QWidget*>(QStringLiteral("sidebar"));
        sidebar->setFocus();
        QTRY_VERIFY(sidebar->hasFocus());
        QSet<QWidget*> visited{sidebar};
        bool cameRound = false;
        for (int step = 0; step < 200 && !cameRound; ++step) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            cameRound = QApplication::focusWidget() == sidebar; // round the whole window once, trapped nowhere
            visited.insert(QApplication::focusWidget());
        }
        QVERIFY2(cameRound, qPrintable(describe(QApplication::focusWidget())));
        QStringList unreached;
        for (QWidget* control : controls) {
            if (!visited.contains(control))
                unreached << describe(control);
        }
        QVERIFY2(unreached.isEmpty(), qPrintable(unreached.join(QStringLiteral(", "))));
    }
};

GATEHOUSE_GUI_TEST_MAIN(TestDesktopAccessibility)
#include "TestDesktopAccessibility.moc"
