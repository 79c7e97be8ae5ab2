#include "app/DesktopApp.h"

#include "app/MainWindow.h"
#include "app/SignInDialog.h"
#include "client/SignedInUser.h"
#include "local/DesktopSettings.h"
#include "setup/SetupWizard.h"

#include <QApplication>
#include <QClipboard>
#include <QJsonArray>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>

DesktopApp::DesktopApp(DesktopSettings& settings, ConfigMaker makeConfig, QObject* parent)
    : QObject(parent), m_settings(settings), m_makeConfig(std::move(makeConfig)),
      m_window(new MainWindow(m_client, settings))
{
    connect(&m_gateway, &LocalGateway::started, this, &DesktopApp::gatewayStarted);
    connect(&m_gateway, &LocalGateway::failed, this, &DesktopApp::gatewayFailed);
    connect(&m_gateway, &LocalGateway::stopped, this, [this] {
        showTrayState(TrayState::Stopped, tr("Gatehouse: stopped"));
        m_window->showGateway({}, {});
        m_window->setSignedIn(false);
    });
    connect(&m_client, &AdminClient::refreshTokenChanged, &m_session, &SessionStore::save);
    connect(&m_client, &AdminClient::signedOut, this, &DesktopApp::askToSignIn);
    connect(&m_client, &AdminClient::reachabilityChanged, this,
            [this](bool reachable, const QString& reason, int retryInSeconds) {
                m_window->showReachability(reachable, reason, retryInSeconds);
                if (reachable)
                    m_window->reloadPage(); // what it could not fetch meanwhile
            });
    connect(m_window, &MainWindow::startRequested, this, [this] {
        if (!m_gateway.isRunning())
            launch({});
    });
    connect(m_window, &MainWindow::stopRequested, &m_gateway, &LocalGateway::stop);
    connect(m_window, &MainWindow::signOutRequested, this, &DesktopApp::signOut);
    connect(m_window, &MainWindow::connectRequested, this, &DesktopApp::openConnectDialog);
    connect(m_window, &MainWindow::gatewayChosen, this, &DesktopApp::chooseGateway);
    connect(m_window, &MainWindow::rebuilt, this, [this] {
        learnProxyUrl();
        if (m_tray)
            buildTrayMenu();
    });
    setUpTray();
}

DesktopApp::~DesktopApp()
{
    delete m_trayMenu;
    delete m_window;
}

void DesktopApp::start(bool minimized)
{
    showGateways();
    // In the tray only where there is one: a window nobody can reach would leave the app unreachable.
    if (!(minimized && m_tray))
        m_window->show();
    if (m_settings.isSetUp())
        launch({});
    else
        runWizard();
}

QString DesktopApp::localSessionName() const
{
    return QStringLiteral("local-session:") + m_settings.dataDir();
}

void DesktopApp::signOut()
{
    m_client.signOut(this, [this](const ApiResult&) { askToSignIn(); });
}

void DesktopApp::runWizard()
{
    m_wizard = new SetupWizard(m_settings, m_window);
    m_wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_wizard, &QDialog::accepted, this, [this] { launch(m_wizard->password()); });
    m_wizard->open();
}

void DesktopApp::launch(const QString& firstPassword)
{
    auto config = m_makeConfig(m_settings);
    if (!config) {
        gatewayFailed(config.error().message);
        return;
    }
    m_firstPassword = firstPassword;
    config->initialAdminPassword = firstPassword;
    m_window->showProblem({});
    m_keyInKeychain = false;
    if (!config->allowKeychain || !config->masterKey.isEmpty()) {
        m_gateway.start(std::make_shared<const Config>(std::move(*config)));
        return;
    }
    // The keychain is asked here, on the GUI thread; the gateway gets the key, or uses its key file.
    m_masterKey.fetch(config->dataDir,
                      [this, config = std::move(*config)](const QString& key, bool inKeychain) mutable {
                          config.masterKey = key;
                          config.allowKeychain = false;
                          m_keyInKeychain = inKeychain;
                          m_gateway.start(std::make_shared<const Config>(std::move(config)));
                      });
}

void DesktopApp::gatewayStarted()
{
    if (m_current != 0)
        return; // the window manages a remote gateway; the local one serves on meanwhile
    m_client.setBaseUrl(m_gateway.adminUrl(), {}, localSessionName());
    ++m_generation;
    learnProxyUrl();
    if (m_settings.useKeychain() && !m_keyInKeychain)
        m_window->showProblem(tr("No keychain answered: the master key is kept in %1. Keep that file private, and "
                                 "back it up apart from the data.")
                                  .arg(m_gateway.masterKeyDescription()));
    showTrayState(TrayState::Running, tr("Gatehouse: running at %1").arg(m_gateway.proxyUrl().toString()));

    if (!m_firstPassword.isEmpty()) {
        m_client.signIn(QStringLiteral("admin"), std::exchange(m_firstPassword, {}), this,
                        [this](const ApiResult& result) {
                            if (!result.ok()) {
                                askToSignIn();
                                return;
                            }
                            m_settings.markSetUp();
                            signedIn();
                        });
        return;
    }
    resumeSession();
}

// The managed gateway's saved session, else the sign-in dialog.
void DesktopApp::resumeSession()
{
    // The keychain and the gateway answer later: by then the user may have chosen another gateway, whose client must
    // not get this one's token.
    m_session.load(m_client.sessionName(), [this, generation = m_generation](const QString& refreshToken) {
        if (generation != m_generation)
            return;
        if (refreshToken.isEmpty()) {
            askToSignIn();
            return;
        }
        m_client.resume(refreshToken, this, [this, generation](const ApiResult& result) {
            if (generation != m_generation)
                return;
            if (result.ok())
                signedIn();
            else
                askToSignIn();
        });
    });
}

void DesktopApp::gatewayFailed(const QString& message)
{
    m_window->showGateway({}, {});
    m_window->showProblem(tr("The gateway did not start: %1").arg(message));
    showTrayState(TrayState::Failed, tr("Gatehouse: not running: %1").arg(message));
    if (!m_settings.isSetUp())
        runWizard(); // the first run's choices did not work (a port taken, a folder not writable): choose again
}

void DesktopApp::askToSignIn()
{
    m_window->setSignedIn(false);
    if (m_signIn)
        return;
    m_signIn = new SignInDialog(m_client, m_window);
    m_signIn->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_signIn, &QDialog::accepted, this, [this] {
        m_settings.markSetUp();
        signedIn();
    });
    m_signIn->open();
}

void DesktopApp::signedIn()
{
    m_client.get(QStringLiteral("/api/auth/me"), {}, this, [this, generation = m_generation](const ApiResult& me) {
        if (generation != m_generation)
            return; // the user who asked is no longer the one signed in
        if (!me.ok()) {
            askToSignIn();
            return;
        }
        SignedInUser user{me.object().value(QLatin1String("username")).toString(),
                          me.object().value(QLatin1String("role")).toString(),
                          {}};
        for (const QJsonValue& permission : me.object().value(QLatin1String("permissions")).toArray())
            user.permissions << permission.toString();
        m_window->applyPermissions(user);
        m_window->setSignedIn(true);
        m_window->reloadPage();
        learnProxyUrl();
        emit ready();
    });
}

void DesktopApp::showGateways()
{
    QStringList labels;
    for (const RemoteConnection& connection : m_settings.connections())
        labels << connection.label();
    m_window->showGateways(labels, m_current);
}

void DesktopApp::chooseGateway(int index)
{
    const QList<RemoteConnection> connections = m_settings.connections();
    if (index < 0 || index > connections.size())
        return;
    m_current = index;
    ++m_generation;
    // The client first, so that nothing the rebuilt window asks goes to the previous gateway.
    if (index == 0)
        m_client.setBaseUrl(m_gateway.isRunning() ? m_gateway.adminUrl() : QUrl(), {}, localSessionName());
    else
        m_client.setBaseUrl(connections[index - 1].url, connections[index - 1].pinnedCertificate,
                            connections[index - 1].sessionAccount());
    m_window->setSignedIn(false);
    showGateways();
    m_window->rebuild();
    if (index == 0 && !m_gateway.isRunning()) {
        launch({});
        return;
    }
    resumeSession();
}

void DesktopApp::openConnectDialog()
{
    auto* dialog = new ConnectDialog(m_client, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ConnectDialog::connected, this, [this](const RemoteConnection& connection) {
        m_settings.addConnection(connection);
        m_current = int(m_settings.connections().size()); // the one just saved is the last
        ++m_generation;
        showGateways();
        m_window->rebuild();
        signedIn();
    });
    dialog->open();
}

// The snippets need the proxy's address: the local gateway's, or the remote host with its proxy port.
void DesktopApp::learnProxyUrl()
{
    if (m_current == 0) {
        m_window->showGateway(m_gateway.proxyUrl().toString(),
                              m_keyInKeychain ? QString()
                                              : tr(" · master key: %1").arg(m_gateway.masterKeyDescription()));
        return;
    }
    m_client.get(
        QStringLiteral("/api/system/info"), {}, this, [this, generation = m_generation](const ApiResult& result) {
            if (generation != m_generation)
                return;
            const QJsonObject proxy = result.object()[QLatin1String("listeners")][QLatin1String("proxy")].toObject();
            QUrl url = m_client.baseUrl();
            url.setScheme(proxy[QLatin1String("tls")].toBool() ? QStringLiteral("https") : QStringLiteral("http"));
            url.setPort(proxy[QLatin1String("port")].toInt(url.port()));
            m_window->showGateway(url.toString(), tr(" (remote)"));
        });
}

void DesktopApp::setUpTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(QApplication::windowIcon(), this);
    buildTrayMenu();
    showTrayState(TrayState::Stopped, tr("Gatehouse: starting"));
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger) {
            m_window->showNormal();
            m_window->raise();
        }
    });
    m_tray->show();
    m_window->setClosesToTray(true);
    QApplication::setQuitOnLastWindowClosed(false);
}

// The tray's menu, in the language of the moment (built again when it changes).
void DesktopApp::buildTrayMenu()
{
    auto* menu = new QMenu;
    menu->addAction(tr("Open Gatehouse"), m_window, [this] {
        m_window->showNormal();
        m_window->raise();
        m_window->activateWindow();
    });
    menu->addAction(tr("Copy base URL"), this,
                    [this] { QApplication::clipboard()->setText(m_gateway.proxyUrl().toString()); });
    menu->addAction(tr("Start gateway"), this, [this] {
        if (!m_gateway.isRunning())
            launch({});
    });
    menu->addAction(tr("Stop gateway"), &m_gateway, &LocalGateway::stop);
    menu->addSeparator();
    menu->addAction(tr("Quit"), qApp, &QApplication::quit);
    m_tray->setContextMenu(menu);
    delete std::exchange(m_trayMenu, menu);
}

// The app's icon with a dot in the corner: green running, grey stopped, red failed.
void DesktopApp::showTrayState(TrayState state, const QString& text)
{
    if (!m_tray)
        return;
    QPixmap icon = QApplication::windowIcon().pixmap(64, 64);
    if (icon.isNull())
        icon = QPixmap(64, 64);
    QPainter painter(&icon);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor colour = state == TrayState::Running   ? QColor(0x2e, 0x7d, 0x32)
                          : state == TrayState::Stopped ? QColor(0x75, 0x75, 0x75)
                                                        : QColor(0xc6, 0x28, 0x28);
    painter.setPen(QPen(Qt::white, 3));
    painter.setBrush(colour);
    painter.drawEllipse(QRectF(36, 36, 26, 26));
    painter.end();
    m_tray->setIcon(QIcon(icon));
    m_tray->setToolTip(text);
}
