#pragma once

#include "app/ConnectDialog.h"
#include "app/SignInDialog.h"
#include "client/AdminClient.h"
#include "config/Config.h"
#include "local/KeychainMasterKey.h"
#include "local/LocalGateway.h"
#include "local/SessionStore.h"
#include "setup/SetupWizard.h"

#include <QObject>
#include <QPointer>

#include <functional>

class DesktopSettings;
class MainWindow;
class QMenu;
class QSystemTrayIcon;

// The desktop app's course: the first-run wizard, then the local gateway started from the user's settings, signed
// in by itself (with the chosen password the first time, with the session kept in the keychain afterwards, and
// with the sign-in dialog when neither works), and the window with its pages.
class DesktopApp : public QObject
{
    Q_OBJECT

public:
    // `makeConfig` turns the desktop settings into the gateway's configuration (command line and environment
    // applied on top); it may refuse with a message.
    using ConfigMaker = std::function<Result<Config>(const DesktopSettings&)>;

    DesktopApp(DesktopSettings& settings, ConfigMaker makeConfig, QObject* parent = nullptr);
    ~DesktopApp() override;

    // Shows the window (unless `minimized` and there is a tray) and starts the gateway, or the first-run wizard.
    void start(bool minimized = false);
    // Ends the session (the gateway revokes it, the keychain forgets it) and asks to sign in again.
    void signOut();
    // Manages the gateway on this computer (0) or a saved remote one (1...): its saved session, else a sign-in.
    void chooseGateway(int index);

    MainWindow& window() { return *m_window; }
    AdminClient& client() { return m_client; }
    LocalGateway& gateway() { return m_gateway; }
    bool masterKeyInKeychain() const { return m_keyInKeychain; }
    SignInDialog* signInDialog() const { return m_signIn; }

signals:
    void ready(); // signed in, the pages are shown

private:
    void runWizard();
    void launch(const QString& firstPassword);
    void gatewayStarted();
    void gatewayFailed(const QString& message);
    void askToSignIn();
    void resumeSession();
    void signedIn();
    void setUpTray();
    void buildTrayMenu();
    void openConnectDialog();
    void showGateways();
    void learnProxyUrl();             // where applications reach the managed gateway, for the snippets
    QString localSessionName() const; // the keychain account of this computer's gateway's session
    enum class TrayState { Running, Stopped, Failed };
    void showTrayState(TrayState state, const QString& text);

    DesktopSettings& m_settings;
    ConfigMaker m_makeConfig;
    LocalGateway m_gateway;
    AdminClient m_client;
    SessionStore m_session;
    KeychainMasterKey m_masterKey;
    bool m_keyInKeychain = false; // where the running local gateway's master key came from
    MainWindow* m_window;
    QPointer<SetupWizard> m_wizard;
    QPointer<SignInDialog> m_signIn;
    QSystemTrayIcon* m_tray = nullptr;
    QMenu* m_trayMenu = nullptr; // QSystemTrayIcon does not own its menu
    QString m_firstPassword;     // the wizard's, until the first sign-in; never stored
    int m_current = 0;           // 0: this computer's gateway; else 1 + the index of a saved connection
    quint64 m_generation = 0;    // counts switches of gateway: answers for an earlier one are dropped
};
