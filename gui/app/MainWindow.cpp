#include "app/MainWindow.h"

#include "app/AboutDialog.h"
#include "auth/Permissions.h"
#include "client/SignedInUser.h"
#include "local/DesktopSettings.h"
#include "pages/AuditPage.h"
#include "pages/DashboardPage.h"
#include "pages/GatewayKeysPage.h"
#include "pages/ProviderKeysPage.h"
#include "pages/ProviderTypesPage.h"
#include "pages/RequestLogPage.h"
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

MainWindow::MainWindow(AdminClient& client, DesktopSettings& settings, QWidget* parent)
    : QMainWindow(parent), m_client(client), m_settings(settings), m_sidebar(new QListWidget),
      m_stack(new QStackedWidget), m_waiting(new QLabel(tr("Starting the gateway…"))),
      m_dashboard(new DashboardPage(client)), m_providerKeys(new ProviderKeysPage(client)),
      m_gatewayKeys(new GatewayKeysPage(client)), m_requestLog(new RequestLogPage(client)),
      m_users(new UsersPage(client)), m_audit(new AuditPage(client)), m_providerTypes(new ProviderTypesPage(client)),
      m_gatewayStatus(new QLabel), m_problem(new QLabel), m_banner(new QLabel), m_gateways(new QComboBox)
{
    setWindowTitle(tr("Gatehouse"));
    setObjectName(QStringLiteral("mainWindow"));
    static_cast<QLabel*>(m_waiting)->setAlignment(Qt::AlignCenter);
    m_stack->addWidget(m_waiting);
    const QList<QPair<QString, QWidget*>> pages{
        {tr("Dashboard"), m_dashboard},      {tr("Provider keys"), m_providerKeys}, {tr("Providers"), m_providerTypes},
        {tr("Gateway keys"), m_gatewayKeys}, {tr("Request log"), m_requestLog},     {tr("Users"), m_users},
        {tr("Audit log"), m_audit}};
    for (const auto& [title, page] : pages) {
        m_sidebar->addItem(title);
        m_stack->addWidget(page);
    }
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setAccessibleName(tr("Pages"));
    m_sidebar->setStyleSheet(
        QStringLiteral("QListWidget { font-size: 11pt; } QListWidget::item { padding: 8px 12px; }"));
    m_sidebar->setFixedWidth(m_sidebar->sizeHintForColumn(0) + 40);
    m_sidebar->setEnabled(false);
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0 || !m_sidebar->isEnabled())
            return;
        m_stack->setCurrentIndex(row + 1);
        m_settings.setLastPage(m_sidebar->item(row)->text());
    });

    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));
    m_problem->hide();
    auto* central = new QWidget;
    auto* right = new QVBoxLayout;
    m_banner->setObjectName(QStringLiteral("banner"));
    m_banner->setMargin(6);
    right->addWidget(m_banner);
    right->addWidget(m_problem);
    right->addWidget(m_stack);
    auto* layout = new QHBoxLayout(central);
    layout->addWidget(m_sidebar);
    layout->addLayout(right, 1);
    setCentralWidget(central);

    auto* copy = new QPushButton(tr("Copy base URL"));
    copy->setObjectName(QStringLiteral("copyBaseUrl"));
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_proxyUrl); });
    m_gatewayStatus->setObjectName(QStringLiteral("gatewayStatus"));
    statusBar()->addWidget(m_gatewayStatus, 1);
    statusBar()->addPermanentWidget(copy);

    QToolBar* tools = addToolBar(tr("Gateway"));
    tools->setObjectName(QStringLiteral("gatewayToolBar"));
    tools->setMovable(false);
    m_gateways->setObjectName(QStringLiteral("gatewayChoice"));
    m_gateways->setAccessibleName(tr("Gateway to manage"));
    tools->addWidget(m_gateways);
    tools->addAction(tr("Connect…"), this, &MainWindow::connectRequested)->setObjectName(QStringLiteral("connect"));
    tools->addSeparator();
    connect(m_gateways, &QComboBox::activated, this, &MainWindow::gatewayChosen);
    tools->addAction(tr("Start gateway"), this, &MainWindow::startRequested);
    tools->addAction(tr("Stop gateway"), this, &MainWindow::stopRequested);
    tools->addSeparator();
    tools->addAction(tr("Sign out"), this, &MainWindow::signOutRequested)->setObjectName(QStringLiteral("signOut"));
    tools
        ->addAction(tr("About"), this,
                    [this] {
                        auto* about = new AboutDialog(m_settings, this);
                        about->setAttribute(Qt::WA_DeleteOnClose);
                        about->open();
                    })
        ->setObjectName(QStringLiteral("about"));

    // Ctrl+1, Ctrl+2... open the pages; Ctrl+Q quits even when closing only hides the window.
    for (int row = 0; row < m_sidebar->count(); ++row) {
        auto* open = new QAction(this);
        open->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + row)));
        connect(open, &QAction::triggered, this, [this, row] {
            if (m_sidebar->isEnabled())
                m_sidebar->setCurrentRow(row);
        });
        addAction(open);
    }
    auto* quit = new QAction(tr("Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, qApp, &QApplication::quit);
    addAction(quit);

    if (!restoreGeometry(m_settings.windowGeometry()))
        resize(1100, 720);
}

void MainWindow::showGateway(const QString& proxyUrl, const QString& note)
{
    m_proxyUrl = proxyUrl;
    m_gatewayStatus->setText(proxyUrl.isEmpty() ? tr("Local gateway stopped")
                                                : tr("Local gateway running at %1").arg(proxyUrl) + note);
    m_gatewayKeys->setProxyUrl(QUrl(proxyUrl));
}

void MainWindow::showGateways(const QStringList& labels, int current)
{
    const QSignalBlocker quiet(m_gateways);
    m_gateways->clear();
    m_gateways->addItems(labels);
    m_gateways->setCurrentIndex(current);
    const bool remote = current > 0;
    m_banner->setText(remote ? tr("Managing the gateway %1").arg(labels.value(current))
                             : tr("Managing the gateway on this computer"));
    m_banner->setStyleSheet(remote ? QStringLiteral("background: #fff3e0; color: #e65100; font-weight: bold")
                                   : QStringLiteral("background: #e0f2f1; color: #00695c"));
}

void MainWindow::showProblem(const QString& message)
{
    m_problem->setText(message);
    m_problem->setVisible(!message.isEmpty());
}

void MainWindow::setSignedIn(bool signedIn)
{
    m_sidebar->setEnabled(signedIn);
    if (!signedIn) {
        m_stack->setCurrentWidget(m_waiting);
        return;
    }
    showPage(m_settings.lastPage());
}

void MainWindow::applyPermissions(const SignedInUser& user)
{
    using namespace Permissions;
    const QList<QStringList> needs{{kStatsView, kStatsOwn},
                                   {kProviderKeysView, kProviderKeysManage},
                                   {kProvidersManage, kProviderKeysView, kProviderKeysManage},
                                   {kGatewayKeysOwn, kGatewayKeysView, kGatewayKeysManage},
                                   {kLogsView, kLogsOwn},
                                   {kUsersView, kUsersManage},
                                   {kLogsView}};
    for (int row = 0; row < needs.size(); ++row)
        m_sidebar->item(row)->setHidden(!user.mayAny(needs[row]));
    m_users->setMayManage(user.mayAny({kUsersManage}));
    m_providerTypes->setMayManage(user.mayAny({kProvidersManage}));
}

bool MainWindow::isPageOffered(const QString& name) const
{
    const QList<QListWidgetItem*> found = m_sidebar->findItems(name, Qt::MatchExactly);
    return !found.isEmpty() && !found.first()->isHidden();
}

void MainWindow::reloadPage()
{
    QWidget* page = m_stack->currentWidget();
    if (page == m_dashboard)
        m_dashboard->reload();
    else if (page == m_providerKeys)
        m_providerKeys->reload();
    else if (page == m_gatewayKeys)
        m_gatewayKeys->reload();
    else if (page == m_requestLog)
        m_requestLog->reload();
    else if (page == m_users)
        m_users->reload();
    else if (page == m_audit)
        m_audit->reload();
    else if (page == m_providerTypes)
        m_providerTypes->reload();
}

void MainWindow::showPage(const QString& name)
{
    const QList<QListWidgetItem*> found = m_sidebar->findItems(name, Qt::MatchExactly);
    int row = found.isEmpty() || found.first()->isHidden() ? -1 : m_sidebar->row(found.first());
    for (int i = 0; row < 0 && i < m_sidebar->count(); ++i) // the first page the user may see
        row = m_sidebar->item(i)->isHidden() ? -1 : i;
    if (row < 0)
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
