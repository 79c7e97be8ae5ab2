#include "pages/SettingsPage.h"

#include "client/AdminClient.h"
#include "local/Appearance.h"
#include "local/DesktopSettings.h"
#include "local/StartAtLogin.h"
#include "pages/PageParts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

SettingsPage::SettingsPage(AdminClient& client, DesktopSettings& settings, QWidget* parent)
    : QWidget(parent), m_client(client), m_settings(settings), m_language(new QComboBox), m_theme(new QComboBox),
      m_startAtLogin(new QCheckBox(tr("Start Gatehouse when I log in"))),
      m_startMinimized(new QCheckBox(tr("Start in the tray, without the window"))), m_message(new QLabel),
      m_server(new QFormLayout), m_serverNote(new QLabel)
{
    m_language->setObjectName(QStringLiteral("language"));
    for (const Appearance::Choice& choice : Appearance::languages())
        m_language->addItem(choice.name, choice.code);
    m_language->setCurrentIndex(std::max(0, m_language->findData(settings.language())));
    m_theme->setObjectName(QStringLiteral("theme"));
    for (const Appearance::Choice& choice : Appearance::themes())
        m_theme->addItem(choice.name, choice.code);
    m_theme->setCurrentIndex(std::max(0, m_theme->findData(settings.theme())));
    m_startAtLogin->setObjectName(QStringLiteral("startAtLogin"));
    m_startAtLogin->setChecked(StartAtLogin::isOn());
    m_startMinimized->setObjectName(QStringLiteral("startMinimized"));
    m_startMinimized->setChecked(settings.startMinimized());
    m_message->setObjectName(QStringLiteral("settingsMessage"));
    m_message->setWordWrap(true);

    auto* app = new QGroupBox(tr("This app"));
    auto* appForm = new QFormLayout(app);
    appForm->addRow(tr("&Language:"), m_language);
    appForm->addRow(tr("&Colours:"), m_theme);
    appForm->addRow(m_startAtLogin);
    appForm->addRow(m_startMinimized);
    appForm->addRow(m_message);

    auto* server = new QGroupBox(tr("The gateway's server settings"));
    server->setObjectName(QStringLiteral("serverSettings"));
    auto* serverLayout = new QVBoxLayout(server);
    m_serverNote->setWordWrap(true);
    m_serverNote->setObjectName(QStringLiteral("serverNote"));
    serverLayout->addWidget(m_serverNote);
    serverLayout->addLayout(m_server);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(app);
    layout->addWidget(server);
    layout->addStretch();

    connect(m_language, &QComboBox::activated, this, [this] {
        m_settings.setLanguage(m_language->currentData().toString());
        Appearance::setLanguage(m_language->currentData().toString());
    });
    connect(m_theme, &QComboBox::activated, this, [this] {
        m_settings.setTheme(m_theme->currentData().toString());
        Appearance::setTheme(m_theme->currentData().toString());
    });
    connect(m_startAtLogin, &QCheckBox::toggled, this, [this](bool on) {
        QString error;
        if (!StartAtLogin::set(on, &error)) {
            PageParts::showMessage(m_message, error, true);
            const QSignalBlocker quiet(m_startAtLogin);
            m_startAtLogin->setChecked(!on);
            return;
        }
        PageParts::showMessage(m_message, {});
    });
    connect(m_startMinimized, &QCheckBox::toggled, this, [this](bool on) { m_settings.setStartMinimized(on); });
}

void SettingsPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reload();
}

void SettingsPage::reload()
{
    m_client.get(QStringLiteral("/api/system/info"), {}, this, [this](const ApiResult& result) {
        if (!result.ok()) {
            showServerSettings({});
            m_serverNote->setText(result.errorText());
            return;
        }
        showServerSettings(result.object());
    });
}

void SettingsPage::showServerSettings(const QJsonObject& info)
{
    const QJsonObject settings = info.value(QLatin1String("settings")).toObject();
    const QJsonObject redis = info.value(QLatin1String("redis")).toObject();
    while (m_server->rowCount() > 0)
        m_server->removeRow(0);
    if (settings.isEmpty()) {
        m_serverNote->setText(tr("Only users who manage the server see its settings."));
        return;
    }
    m_serverNote->setText(tr("Set in the server's configuration file or environment; read-only here."));
    const QLocale locale;
    const QJsonObject limits = settings.value(QLatin1String("limits")).toObject();
    const auto number = [&locale](const QJsonObject& from, const char* field) {
        return locale.toString(from.value(QLatin1String(field)).toInteger());
    };
    const QList<QPair<QString, QString>> rows{
        {tr("Request log kept (days):"), number(settings, "traceRetentionDays")},
        {tr("Audit log kept (days):"), number(settings, "auditRetentionDays")},
        {tr("Provider keys probed every (seconds):"),
         settings.value(QLatin1String("healthProbeIntervalSeconds")).toInt() > 0
             ? number(settings, "healthProbeIntervalSeconds")
             : tr("Never (only when asked)")},
        {tr("Log level:"), settings.value(QLatin1String("logLevel")).toString()},
        {tr("Shared state (Redis):"), !redis.value(QLatin1String("configured")).toBool()
                                          ? tr("Not configured (one instance)")
                                      : redis.value(QLatin1String("connected")).toBool()
                                          ? tr("Connected")
                                          : tr("Configured, not reachable: each instance counts alone")},
        {tr("Largest request body:"),
         locale.formattedDataSize(limits.value(QLatin1String("maxBodyBytes")).toInteger(), 0)},
        {tr("Connections at most:"), number(limits, "maxConnections")},
        {tr("Connections per client address:"), number(limits, "maxConnectionsPerAddress")},
        {tr("Idle connections closed after (seconds):"), number(limits, "idleTimeoutSeconds")},
        {tr("Connecting to a provider, at most (seconds):"), number(limits, "upstreamConnectTimeoutSeconds")},
        {tr("Waiting for a provider's answer, at most (seconds):"), number(limits, "upstreamResponseTimeoutSeconds")},
        {tr("Silence within an answer, at most (seconds):"), number(limits, "upstreamStallTimeoutSeconds")}};
    for (const auto& [label, value] : rows) {
        auto* shown = new QLabel(value);
        shown->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        m_server->addRow(label, shown);
    }
}
