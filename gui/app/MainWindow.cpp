#include "app/MainWindow.h"

#include "app/AboutDialog.h"
#include "auth/Permissions.h"
#include "local/DesktopSettings.h"
#include "pages/AuditPage.h"
#include "pages/DashboardPage.h"
#include "pages/GatewayKeysPage.h"
#include "pages/HealthPage.h"
#include "pages/PricingPage.h"
#include "pages/ProviderKeysPage.h"
#include "pages/ProviderTypesPage.h"
#include "pages/RequestLogPage.h"
#include "pages/RolesPage.h"
#include "pages/SettingsPage.h"
#include "pages/UsersPage.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace {

using Page = MainWindow::Page;
constexpr int kPageCount = int(Page::Settings) + 1;

// How the settings remember the last page, whatever the language.
QString pageKey(Page page)
{
    static const char* const keys[kPageCount] = {"dashboard",    "provider-keys", "providers",  "pricing",
                                                 "gateway-keys", "request-log",   "key-health", "users",
                                                 "roles",        "audit",         "settings"};
    return QLatin1String(keys[int(page)]);
}

// Who may open each page: any of these permissions (none: everyone signed in).
QStringList pageNeeds(Page page)
{
    using namespace Permissions;
    switch (page) {
    case Page::Dashboard:
        return {kStatsView, kStatsOwn};
    case Page::ProviderKeys:
        return {kProviderKeysView, kProviderKeysManage};
    case Page::Providers:
        return {kProvidersManage, kProviderKeysView, kProviderKeysManage};
    case Page::Pricing:
        return {kStatsView, kStatsOwn, kProvidersManage};
    case Page::GatewayKeys:
        return {kGatewayKeysOwn, kGatewayKeysView, kGatewayKeysManage};
    case Page::RequestLog:
        return {kLogsView, kLogsOwn};
    case Page::KeyHealth:
        return {kHealthView};
    case Page::Users:
    case Page::Roles:
        return {kUsersView, kUsersManage};
    case Page::Audit:
        return {kLogsView};
    case Page::Settings:
        return {};
    }
    return {};
}

} // namespace

MainWindow::MainWindow(AdminClient& client, DesktopSettings& settings, QWidget* parent)
    : QMainWindow(parent), m_client(client), m_settings(settings)
{
    setObjectName(QStringLiteral("mainWindow"));
    build();

    // Ctrl+1, Ctrl+2... open the pages; Ctrl+Q quits even when closing only hides the window.
    for (int row = 0; row < kPageCount && row < 9; ++row) {
        auto* open = new QAction(this);
        open->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + row)));
        connect(open, &QAction::triggered, this, [this, row] {
            if (m_sidebar->isEnabled() && !m_sidebar->item(row)->isHidden())
                m_sidebar->setCurrentRow(row);
        });
        addAction(open);
    }
    auto* quit = new QAction(this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, qApp, &QApplication::quit);
    addAction(quit);

    if (!restoreGeometry(m_settings.windowGeometry()))
        resize(1180, 740);
}

void MainWindow::build()
{
    setWindowTitle(tr("Gatehouse"));
    m_sidebar = new QListWidget;
    m_stack = new QStackedWidget;
    m_waiting = new QLabel(tr("Starting the gateway…"));
    m_waiting->setAlignment(Qt::AlignCenter);
    m_stack->addWidget(m_waiting);
    m_dashboard = new DashboardPage(m_client);
    m_providerKeys = new ProviderKeysPage(m_client);
    m_providerTypes = new ProviderTypesPage(m_client);
    m_pricing = new PricingPage(m_client);
    m_gatewayKeys = new GatewayKeysPage(m_client);
    m_requestLog = new RequestLogPage(m_client);
    m_health = new HealthPage(m_client);
    m_users = new UsersPage(m_client);
    m_roles = new RolesPage(m_client);
    m_audit = new AuditPage(m_client);
    m_settingsPage = new SettingsPage(m_client, m_settings);
    const QStringList titles{tr("Dashboard"),    tr("Provider keys"), tr("Providers"),  tr("Pricing"),
                             tr("Gateway keys"), tr("Request log"),   tr("Key health"), tr("Users"),
                             tr("Roles"),        tr("Audit log"),     tr("Settings")};
    for (int i = 0; i < kPageCount; ++i) {
        auto* item = new QListWidgetItem(titles[i]);
        item->setData(Qt::UserRole, pageKey(Page(i)));
        m_sidebar->addItem(item);
        m_stack->addWidget(pageWidget(Page(i)));
    }
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setAccessibleName(tr("Pages"));
    m_sidebar->setStyleSheet(
        QStringLiteral("QListWidget { font-size: 11pt; } QListWidget::item { padding: 6px 12px; }"));
    m_sidebar->setFixedWidth(m_sidebar->sizeHintForColumn(0) + 40);
    m_sidebar->setEnabled(false);
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0 || !m_sidebar->isEnabled())
            return;
        m_stack->setCurrentIndex(row + 1);
        m_settings.setLastPage(pageKey(Page(row)));
    });

    m_problem = new QLabel;
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));
    m_problem->hide();
    m_banner = new QLabel;
    m_banner->setObjectName(QStringLiteral("banner"));
    m_banner->setMargin(6);
    m_offline = new QLabel;
    m_offline->setObjectName(QStringLiteral("offline"));
    m_offline->setWordWrap(true);
    m_offline->setMargin(6);
    m_offline->setStyleSheet(QStringLiteral("background: #ffebee; color: #b00020"));
    m_offline->hide();
    auto* central = new QWidget;
    auto* right = new QVBoxLayout;
    right->addWidget(m_banner);
    right->addWidget(m_offline);
    right->addWidget(m_problem);
    right->addWidget(m_stack);
    auto* layout = new QHBoxLayout(central);
    layout->addWidget(m_sidebar);
    layout->addLayout(right, 1);
    setCentralWidget(central); // the previous one, pages and all, goes at the next turn of the event loop

    auto* status = new QStatusBar;
    m_gatewayStatus = new QLabel;
    m_gatewayStatus->setObjectName(QStringLiteral("gatewayStatus"));
    auto* copy = new QPushButton(tr("Copy base URL"));
    copy->setObjectName(QStringLiteral("copyBaseUrl"));
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_proxyUrl); });
    status->addWidget(m_gatewayStatus, 1);
    status->addPermanentWidget(copy);
    setStatusBar(status);

    if (m_tools) { // later: its gateway choice may be what asked for the rebuild
        removeToolBar(m_tools);
        m_tools->deleteLater();
    }
    m_tools = addToolBar(tr("Gateway"));
    m_tools->setObjectName(QStringLiteral("gatewayToolBar"));
    m_tools->setMovable(false);
    m_gateways = new QComboBox;
    m_gateways->setObjectName(QStringLiteral("gatewayChoice"));
    m_gateways->setAccessibleName(tr("Gateway to manage"));
    m_tools->addWidget(m_gateways);
    m_tools->addAction(tr("Connect…"), this, &MainWindow::connectRequested)->setObjectName(QStringLiteral("connect"));
    m_tools->addSeparator();
    connect(m_gateways, &QComboBox::activated, this, &MainWindow::gatewayChosen);
    m_tools->addAction(tr("Start gateway"), this, &MainWindow::startRequested);
    m_tools->addAction(tr("Stop gateway"), this, &MainWindow::stopRequested);
    m_tools->addSeparator();
    m_tools->addAction(tr("Sign out"), this, &MainWindow::signOutRequested)->setObjectName(QStringLiteral("signOut"));
    m_tools
        ->addAction(tr("About"), this,
                    [this] {
                        auto* about = new AboutDialog(m_settings, this);
                        about->setAttribute(Qt::WA_DeleteOnClose);
                        about->open();
                    })
        ->setObjectName(QStringLiteral("about"));
}

QWidget* MainWindow::pageWidget(Page page) const
{
    const QList<QWidget*> pages{m_dashboard, m_providerKeys, m_providerTypes, m_pricing, m_gatewayKeys, m_requestLog,
                                m_health,    m_users,        m_roles,         m_audit,   m_settingsPage};
    return pages.value(int(page));
}

void MainWindow::changeEvent(QEvent* event)
{
    // The event reaches every widget of the window after this one: build again once it has passed.
    if (event->type() == QEvent::LanguageChange && !m_rebuildPending) {
        m_rebuildPending = true;
        QMetaObject::invokeMethod(this, &MainWindow::rebuild, Qt::QueuedConnection);
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::rebuild()
{
    m_rebuildPending = false;
    build();
    applyState();
    emit rebuilt();
}

// Shows again what the window showed before a rebuild.
void MainWindow::applyState()
{
    showGateway(m_proxyUrl, m_proxyNote);
    showProblem(m_problemText);
    m_offline->setText(m_offlineText);
    m_offline->setVisible(!m_offlineText.isEmpty());
    showGateways(m_remoteLabels, m_currentGateway);
    if (!m_user.username.isEmpty())
        applyPermissions(m_user);
    setSignedIn(m_signedIn);
}

void MainWindow::showGateway(const QString& proxyUrl, const QString& note)
{
    m_proxyUrl = proxyUrl;
    m_proxyNote = note;
    m_gatewayStatus->setText(proxyUrl.isEmpty() ? tr("Local gateway stopped")
                                                : tr("Local gateway running at %1").arg(proxyUrl) + note);
    m_gatewayKeys->setProxyUrl(QUrl(proxyUrl));
}

void MainWindow::showGateways(const QStringList& remoteLabels, int current)
{
    m_remoteLabels = remoteLabels;
    m_currentGateway = current;
    const QSignalBlocker quiet(m_gateways);
    m_gateways->clear();
    m_gateways->addItem(tr("This computer"));
    m_gateways->addItems(remoteLabels);
    m_gateways->setCurrentIndex(current);
    const bool remote = current > 0;
    m_banner->setText(remote ? tr("Managing the gateway %1").arg(remoteLabels.value(current - 1))
                             : tr("Managing the gateway on this computer"));
    m_banner->setStyleSheet(remote ? QStringLiteral("background: #fff3e0; color: #e65100; font-weight: bold")
                                   : QStringLiteral("background: #e0f2f1; color: #00695c"));
}

void MainWindow::showProblem(const QString& message)
{
    m_problemText = message;
    m_problem->setText(message);
    m_problem->setVisible(!message.isEmpty());
}

void MainWindow::showReachability(bool reachable, const QString& reason, int retryInSeconds)
{
    m_offlineText = reachable ? QString()
                              : tr("The gateway does not answer (%1). Trying again in %2 s; the page shows what it "
                                   "had.")
                                    .arg(reason)
                                    .arg(retryInSeconds);
    m_offline->setText(m_offlineText);
    m_offline->setVisible(!reachable);
}

void MainWindow::setSignedIn(bool signedIn)
{
    m_signedIn = signedIn;
    m_sidebar->setEnabled(signedIn);
    if (!signedIn) {
        m_stack->setCurrentWidget(m_waiting);
        return;
    }
    const QString last = m_settings.lastPage();
    for (int i = 0; i < kPageCount; ++i) {
        if (pageKey(Page(i)) == last && !m_sidebar->item(i)->isHidden()) {
            showPage(Page(i));
            return;
        }
    }
    if (!offeredPages().isEmpty())
        showPage(offeredPages().first());
}

void MainWindow::applyPermissions(const SignedInUser& user)
{
    using namespace Permissions;
    m_user = user;
    for (int i = 0; i < kPageCount; ++i) {
        const QStringList needs = pageNeeds(Page(i));
        m_sidebar->item(i)->setHidden(!needs.isEmpty() && !user.mayAny(needs));
    }
    m_providerKeys->setMayManage(user.mayAny({kProviderKeysManage}));
    m_providerTypes->setMayManage(user.mayAny({kProvidersManage}));
    m_pricing->setMayManage(user.mayAny({kProvidersManage}));
    m_health->setMayManage(user.mayAny({kProviderKeysManage}));
    m_users->setMayManage(user.mayAny({kUsersManage}));
}

QList<MainWindow::Page> MainWindow::offeredPages() const
{
    QList<Page> pages;
    for (int i = 0; i < kPageCount; ++i) {
        if (!m_sidebar->item(i)->isHidden())
            pages << Page(i);
    }
    return pages;
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(std::max(0, m_stack->currentIndex() - 1));
}

void MainWindow::reloadPage()
{
    QWidget* page = m_stack->currentWidget();
    if (page == m_dashboard)
        m_dashboard->reload();
    else if (page == m_providerKeys)
        m_providerKeys->reload();
    else if (page == m_providerTypes)
        m_providerTypes->reload();
    else if (page == m_pricing)
        m_pricing->reload();
    else if (page == m_gatewayKeys)
        m_gatewayKeys->reload();
    else if (page == m_requestLog)
        m_requestLog->reload();
    else if (page == m_health)
        m_health->reload();
    else if (page == m_users)
        m_users->reload();
    else if (page == m_roles)
        m_roles->reload();
    else if (page == m_audit)
        m_audit->reload();
    else if (page == m_settingsPage)
        m_settingsPage->reload();
}

void MainWindow::showPage(Page page)
{
    const int row = int(page);
    if (m_sidebar->item(row)->isHidden())
        return;
    m_sidebar->setCurrentRow(row);
    m_stack->setCurrentIndex(row + 1);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_settings.setWindowGeometry(saveGeometry());
    if (m_closesToTray) {
        hide();
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}
