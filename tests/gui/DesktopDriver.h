#pragma once

#include "app/DesktopApp.h"
#include "client/AdminClient.h"
#include "local/DesktopSettings.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

// The desktop app as a user meets it, in a temporary home: settings file, data folder, ephemeral loopback ports and
// a fast password hash. Widgets are found by object name and driven like a user would.
class DesktopDriver
{
public:
    static constexpr const char* kPassword = "a-long-admin-password";

    DesktopDriver();
    ~DesktopDriver();

    // A new app over the same settings and data (a restart).
    DesktopApp& launch(bool masterKeyInKeychain = false);
    DesktopApp& app() { return *m_app; }
    DesktopSettings& settings() { return *m_settings; }
    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }

    // Fills in the first-run wizard and finishes it; false (with a test failure) when it does not get through.
    bool completeSetup(bool keychain);
    // launch(), completeSetup(false), and the app signed in with its pages shown; false when it did not get there.
    bool launchAndSetUp();

    // One admin API call through the app's own client, waited for.
    ApiResult call(const QByteArray& method, const QString& path, const QJsonObject& body = {},
                   const QUrlQuery& query = {});

    // The pages the sidebar offers, by their titles.
    QStringList offeredPages();
    // Opens the Users page's "Add user" dialog, fills it for a user of role `user` and presses Add; the dialog (still
    // open when the server refused), or nullptr with a test failure.
    QDialog* addUser(const QString& username, const QString& password);

    // Points the provider type `name` at `url` (an admin's change, through the same API); false when refused.
    bool pointProviderAt(const QString& name, const QUrl& url);

    template <typename T> static T* waitForWidget(const QString& name = {})
    {
        T* found = nullptr;
        const bool shown = QTest::qWaitFor(
            [&] {
                for (QWidget* widget : QApplication::topLevelWidgets()) {
                    if ((found = qobject_cast<T*>(widget)) && (name.isEmpty() || widget->objectName() == name) &&
                        widget->isVisible())
                        return true;
                    if ((found = widget->findChild<T*>(name)) && found->isVisible())
                        return true;
                }
                found = nullptr;
                return false;
            },
            10'000);
        return shown ? found : nullptr;
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<DesktopSettings> m_settings;
    std::unique_ptr<DesktopApp> m_app;
};
