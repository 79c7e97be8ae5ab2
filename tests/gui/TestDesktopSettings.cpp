#include "DesktopDriver.h"
#include "GuiTestMain.h"

#include "app/MainWindow.h"
#include "local/Appearance.h"
#include "local/StartAtLogin.h"
#include "pages/SettingsPage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>

// The Settings page: the app's own choices apply at once (the language without a restart, the colours, starting at
// login), and the managed gateway's server settings show as it reports them.
class TestDesktopSettings : public QObject
{
    Q_OBJECT

private:
    DesktopDriver m_desktop;
    QTemporaryDir m_config; // XDG_CONFIG_HOME: where the autostart entry goes

    SettingsPage& openSettings()
    {
        m_desktop.app().window().showPage(MainWindow::Page::Settings);
        return m_desktop.app().window().settings();
    }

    // The value shown beside `label` among the server's settings, empty when there is no such row.
    QString serverSetting(const QString& label)
    {
        auto* form = openSettings().findChild<QGroupBox*>(QStringLiteral("serverSettings"))->findChild<QFormLayout*>();
        for (int row = 0; row < form->rowCount(); ++row) {
            auto* name = qobject_cast<QLabel*>(form->itemAt(row, QFormLayout::LabelRole)->widget());
            if (name && name->text() == label)
                return qobject_cast<QLabel*>(form->itemAt(row, QFormLayout::FieldRole)->widget())->text();
        }
        return {};
    }

    void choose(const QString& comboName, const QString& code)
    {
        auto* combo = openSettings().findChild<QComboBox*>(comboName);
        const int index = combo->findData(code);
        QVERIFY(index >= 0);
        combo->setCurrentIndex(index);
        emit combo->activated(index); // as a user's choice does
    }

    QString sidebarText(int row)
    {
        return m_desktop.app().window().findChild<QListWidget*>(QStringLiteral("sidebar"))->item(row)->text();
    }

private slots:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        Appearance::setLanguage(QStringLiteral("en"));
        QVERIFY(m_desktop.launchAndSetUp());
    }

    void cleanupTestCase() { Appearance::setLanguage(QStringLiteral("en")); }

    void anAdminReadsTheServersSettings()
    {
        QTRY_COMPARE(serverSetting(QStringLiteral("Request log kept (days):")), QStringLiteral("30"));
        QCOMPARE(serverSetting(QStringLiteral("Audit log kept (days):")), QStringLiteral("365"));
        QCOMPARE(serverSetting(QStringLiteral("Shared state (Redis):")),
                 QStringLiteral("Not configured (one instance)"));
        QCOMPARE(serverSetting(QStringLiteral("Largest request body:")), QLocale().formattedDataSize(32 << 20, 0));
    }

    // Chinese at once, on the same page, still signed in; then English again.
    void theLanguageChangesWithoutARestart()
    {
        MainWindow& window = m_desktop.app().window();
        QCOMPARE(sidebarText(0), QStringLiteral("Dashboard"));
        choose(QStringLiteral("language"), QStringLiteral("zh_CN"));
        QTRY_VERIFY(sidebarText(0) != QLatin1String("Dashboard"));
        QCOMPARE(sidebarText(0), QCoreApplication::translate("MainWindow", "Dashboard"));
        QCOMPARE(window.currentPage(), MainWindow::Page::Settings);
        QVERIFY(window.findChild<QListWidget*>(QStringLiteral("sidebar"))->isEnabled());
        QCOMPARE(m_desktop.settings().language(), QStringLiteral("zh_CN"));
        QCOMPARE(QLocale().language(), QLocale::Chinese);
        // Qt's own words too (standard buttons), from qt6-translations-l10n.
        QVERIFY(QCoreApplication::translate("QPlatformTheme", "Cancel") != QLatin1String("Cancel"));
        // The new page shows the server's settings in Chinese.
        QTRY_VERIFY(!serverSetting(QCoreApplication::translate("SettingsPage", "Request log kept (days):")).isEmpty());
        QVERIFY(window.findChild<QLabel*>(QStringLiteral("banner"))->text() !=
                QLatin1String("Managing the gateway on this computer"));

        choose(QStringLiteral("language"), QStringLiteral("en"));
        QTRY_COMPARE(sidebarText(0), QStringLiteral("Dashboard"));
        QCOMPARE(window.findChild<QLabel*>(QStringLiteral("banner"))->text(),
                 QStringLiteral("Managing the gateway on this computer"));
        QCOMPARE(m_desktop.settings().language(), QStringLiteral("en"));
    }

    void darkColoursApplyAndGoBack()
    {
        const QColor before = QApplication::palette().color(QPalette::Window);
        choose(QStringLiteral("theme"), QStringLiteral("dark"));
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
        QVERIFY(QApplication::palette().color(QPalette::WindowText).lightness() > 180);
        QCOMPARE(m_desktop.settings().theme(), QStringLiteral("dark"));
        choose(QStringLiteral("theme"), QString());
        QCOMPARE(QApplication::palette().color(QPalette::Window), before);
    }

    void startAtLoginWritesAnAutostartEntry()
    {
        auto* box = openSettings().findChild<QCheckBox*>(QStringLiteral("startAtLogin"));
        QVERIFY(!box->isChecked());
        box->click();
        QFile entry(m_config.filePath(QStringLiteral("autostart/gatehouse.desktop")));
        QCOMPARE(StartAtLogin::entryFile(), entry.fileName());
        QVERIFY(entry.open(QIODevice::ReadOnly));
        const QByteArray text = entry.readAll();
        QVERIFY(text.contains("[Desktop Entry]"));
        QVERIFY(text.contains(QCoreApplication::applicationFilePath().toUtf8() + "\" --minimized"));
        box->click();
        QVERIFY(!entry.exists());
        // A path with the characters the specification reserves is quoted as it says.
        QCOMPARE(StartAtLogin::execLine(QStringLiteral("/opt/my \"apps\"/$HOME/100%/gate`house\\x")),
                 QStringLiteral("Exec=\"/opt/my \\\"apps\\\"/\\$HOME/100%%/gate\\`house\\\\x\" --minimized"));

        auto* tray = openSettings().findChild<QCheckBox*>(QStringLiteral("startMinimized"));
        tray->click();
        QVERIFY(m_desktop.settings().startMinimized());
    }

    // Saved connections keep their pinned certificate across runs; saving one again replaces it.
    void connectionsKeepTheirPin()
    {
        const QString file = m_config.filePath(QStringLiteral("connections.ini"));
        {
            DesktopSettings settings(file);
            settings.addConnection(
                {QUrl(QStringLiteral("https://gw.example.com:9090")), QStringLiteral("ops"), "ab12"});
            settings.addConnection(
                {QUrl(QStringLiteral("https://gw.example.com:9090")), QStringLiteral("ops"), "cd34"});
        }
        const QList<RemoteConnection> saved = DesktopSettings(file).connections();
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().pinnedCertificate, QByteArray("cd34"));
        QCOMPARE(saved.first().label(), QStringLiteral("ops@gw.example.com:9090"));
    }
};

GATEHOUSE_GUI_TEST_MAIN(TestDesktopSettings)
#include "TestDesktopSettings.moc"
