#pragma once

#include <QMainWindow>

class AdminClient;
class DashboardPage;
class DesktopSettings;
class GatewayKeysPage;
class ProviderKeysPage;
class QComboBox;
class QLabel;
class QListWidget;
class QStackedWidget;
class RequestLogPage;
struct SignedInUser;
class UsersPage;
class AuditPage;
class ProviderTypesPage;

// The app's window: the pages in a sidebar, and a status bar naming the gateway it manages and where applications
// reach it. The pages talk to the gateway only through the AdminClient.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(AdminClient& client, DesktopSettings& settings, QWidget* parent = nullptr);

    // The gateway is up (proxyUrl: where applications call it) or not (a reason to show).
    void showGateway(const QString& proxyUrl, const QString& note);
    void showProblem(const QString& message);
    // Pages appear once signed in: those the user's role may use.
    void setSignedIn(bool signedIn);
    void applyPermissions(const SignedInUser& user);
    // The page shown asks its gateway again (after switching to another gateway).
    void reloadPage();
    void showPage(const QString& name);
    // The gateways the window can manage (this computer's first) and which one it manages now; the banner names it.
    void showGateways(const QStringList& labels, int current);
    // With a tray icon, closing the window hides it and the gateway keeps serving; Quit ends the app.
    void setClosesToTray(bool closes) { m_closesToTray = closes; }

    DashboardPage& dashboard() { return *m_dashboard; }
    ProviderKeysPage& providerKeys() { return *m_providerKeys; }
    GatewayKeysPage& gatewayKeys() { return *m_gatewayKeys; }
    RequestLogPage& requestLog() { return *m_requestLog; }
    UsersPage& users() { return *m_users; }
    AuditPage& audit() { return *m_audit; }
    ProviderTypesPage& providerTypes() { return *m_providerTypes; }
    bool isPageOffered(const QString& name) const;

signals:
    void startRequested();
    void stopRequested();
    void signOutRequested();
    void connectRequested();
    void gatewayChosen(int index); // an index of showGateways()' labels

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    AdminClient& m_client;
    DesktopSettings& m_settings;
    QListWidget* m_sidebar;
    QStackedWidget* m_stack;
    QWidget* m_waiting;
    DashboardPage* m_dashboard;
    ProviderKeysPage* m_providerKeys;
    GatewayKeysPage* m_gatewayKeys;
    RequestLogPage* m_requestLog;
    UsersPage* m_users;
    AuditPage* m_audit;
    ProviderTypesPage* m_providerTypes;
    QLabel* m_gatewayStatus;
    QLabel* m_problem;
    QLabel* m_banner;
    QComboBox* m_gateways;
    QString m_proxyUrl;
    bool m_closesToTray = false;
};
