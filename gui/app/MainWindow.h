#pragma once

#include "client/SignedInUser.h"

#include <QMainWindow>

class AdminClient;
class AuditPage;
class DashboardPage;
class DesktopSettings;
class GatewayKeysPage;
class HealthPage;
class PricingPage;
class ProviderKeysPage;
class ProviderTypesPage;
class QComboBox;
class QLabel;
class QListWidget;
class QStackedWidget;
class RequestLogPage;
class RolesPage;
class SettingsPage;
class UsersPage;

// The app's window: the pages in a sidebar, a banner naming the gateway it manages, and a status bar saying where
// applications reach it. The pages talk to the gateway only through the AdminClient. When the language changes the
// window builds itself again in the new language, and shows what it showed before.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // The pages, in the sidebar's order.
    enum class Page {
        Dashboard,
        ProviderKeys,
        Providers,
        Pricing,
        GatewayKeys,
        RequestLog,
        KeyHealth,
        Users,
        Roles,
        Audit,
        Settings
    };

    MainWindow(AdminClient& client, DesktopSettings& settings, QWidget* parent = nullptr);

    // The gateway is up (proxyUrl: where applications call it) or not (a reason to show).
    void showGateway(const QString& proxyUrl, const QString& note);
    void showProblem(const QString& message);
    // The managed gateway stopped answering (why, and when the client asks again), or answers again.
    void showReachability(bool reachable, const QString& reason, int retryInSeconds);
    // Pages appear once signed in: those the user's role may use.
    void setSignedIn(bool signedIn);
    void applyPermissions(const SignedInUser& user);
    // The page shown asks its gateway again (after signing in, or when the gateway answers again).
    void reloadPage();
    void showPage(Page page);
    Page currentPage() const;
    QList<Page> offeredPages() const;
    // The saved remote gateways the window can manage besides this computer's (index 0), and which one it manages
    // now; the banner names it.
    void showGateways(const QStringList& remoteLabels, int current);
    // Builds the window again with empty pages, showing what it showed: after a language change, and before it shows
    // another gateway (no page may show one gateway's data under another's banner).
    void rebuild();
    // With a tray icon, closing the window hides it and the gateway keeps serving; Quit ends the app.
    void setClosesToTray(bool closes) { m_closesToTray = closes; }

    DashboardPage& dashboard() { return *m_dashboard; }
    ProviderKeysPage& providerKeys() { return *m_providerKeys; }
    ProviderTypesPage& providerTypes() { return *m_providerTypes; }
    PricingPage& pricing() { return *m_pricing; }
    GatewayKeysPage& gatewayKeys() { return *m_gatewayKeys; }
    RequestLogPage& requestLog() { return *m_requestLog; }
    HealthPage& health() { return *m_health; }
    UsersPage& users() { return *m_users; }
    RolesPage& roles() { return *m_roles; }
    AuditPage& audit() { return *m_audit; }
    SettingsPage& settings() { return *m_settingsPage; }

signals:
    void startRequested();
    void stopRequested();
    void signOutRequested();
    void connectRequested();
    void gatewayChosen(int index); // 0: this computer; else 1 + the index of a remote label
    void rebuilt();

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void build();
    QWidget* pageWidget(Page page) const;
    void applyState();

    AdminClient& m_client;
    DesktopSettings& m_settings;

    // Built by build(), again on a language change.
    QListWidget* m_sidebar = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_waiting = nullptr;
    DashboardPage* m_dashboard = nullptr;
    ProviderKeysPage* m_providerKeys = nullptr;
    ProviderTypesPage* m_providerTypes = nullptr;
    PricingPage* m_pricing = nullptr;
    GatewayKeysPage* m_gatewayKeys = nullptr;
    RequestLogPage* m_requestLog = nullptr;
    HealthPage* m_health = nullptr;
    UsersPage* m_users = nullptr;
    RolesPage* m_roles = nullptr;
    AuditPage* m_audit = nullptr;
    SettingsPage* m_settingsPage = nullptr;
    QLabel* m_gatewayStatus = nullptr;
    QLabel* m_problem = nullptr;
    QLabel* m_banner = nullptr;
    QLabel* m_offline = nullptr;
    QComboBox* m_gateways = nullptr;
    QToolBar* m_tools = nullptr;

    // What the window shows, kept to show it again after a rebuild.
    QString m_proxyUrl;
    QString m_proxyNote;
    QString m_problemText;
    QString m_offlineText;
    QStringList m_remoteLabels;
    int m_currentGateway = 0;
    bool m_signedIn = false;
    SignedInUser m_user;
    bool m_closesToTray = false;
    bool m_rebuildPending = false;
};
