#include "MainWindow.h"

#include "app/GatewayService.h"

#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

MainWindow::MainWindow(GatewayService& service, QWidget* parent)
    : QMainWindow(parent), m_service(service), m_status(new QLabel), m_proxyUrl(new QLabel), m_adminUrl(new QLabel),
      m_database(new QLabel), m_error(new QLabel), m_toggle(new QPushButton)
{
    setWindowTitle(tr("Gatehouse"));
    auto* central = new QWidget;
    auto* form = new QFormLayout;
    form->addRow(tr("Status:"), m_status);
    form->addRow(tr("Proxy:"), m_proxyUrl);
    form->addRow(tr("Admin API:"), m_adminUrl);
    form->addRow(tr("Database:"), m_database);
    for (QLabel* label : {m_proxyUrl, m_adminUrl, m_database})
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    auto* layout = new QVBoxLayout(central);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_toggle, 0, Qt::AlignRight);
    setCentralWidget(central);

    connect(m_toggle, &QPushButton::clicked, this, &MainWindow::toggle);
    connect(&m_service, &GatewayService::started, this, &MainWindow::refresh);
    connect(&m_service, &GatewayService::stopped, this, &MainWindow::refresh);
    refresh();
}

void MainWindow::toggle()
{
    m_error->clear();
    if (m_service.isRunning()) {
        m_service.stop();
        return;
    }
    if (auto started = m_service.start(); !started)
        m_error->setText(started.error().message);
    refresh();
}

void MainWindow::refresh()
{
    const Config& config = m_service.config();
    const bool running = m_service.isRunning();
    m_status->setText(running ? tr("Running") : tr("Stopped"));
    m_proxyUrl->setText(running ? QStringLiteral("http://127.0.0.1:%1/").arg(m_service.proxyPort()) : tr("-"));
    m_adminUrl->setText(running ? QStringLiteral("http://%1:%2/api/")
                                      .arg(config.admin.address.toString())
                                      .arg(m_service.adminPort())
                                : tr("-"));
    m_database->setText(config.usesPostgres() ? tr("PostgreSQL") : config.sqlitePath());
    m_toggle->setText(running ? tr("Stop gateway") : tr("Start gateway"));
}
