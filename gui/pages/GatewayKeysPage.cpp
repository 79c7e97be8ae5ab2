#include "pages/GatewayKeysPage.h"

#include "client/AdminClient.h"
#include "models/JsonTableModel.h"
#include "pages/GatewayKeyDialog.h"
#include "pages/NewKeyDialog.h"
#include "pages/PageParts.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace {

QString when(const QJsonValue& iso)
{
    if (iso.isNull() || iso.toString().isEmpty())
        return QObject::tr("never");
    return QLocale().toString(QDateTime::fromString(iso.toString(), Qt::ISODateWithMs).toLocalTime(),
                              QLocale::ShortFormat);
}

} // namespace

GatewayKeysPage::GatewayKeysPage(AdminClient& client, QWidget* parent)
    : QWidget(parent), m_client(client), m_regenerate(new QPushButton(tr("Regenerate…"))),
      m_toggle(new QPushButton(tr("Disable"))), m_remove(new QPushButton(tr("Delete"))), m_message(new QLabel)
{
    m_model = new JsonTableModel(
        {{tr("Name"), [](const QJsonObject& key) { return key.value(QLatin1String("name")).toString(); }},
         {tr("Key"),
          [](const QJsonObject& key) {
              return key.value(QLatin1String("keyPrefix")).toString() + QStringLiteral("…");
          }},
         {tr("Provider"), [](const QJsonObject& key) { return key.value(QLatin1String("providerType")).toString(); }},
         {tr("Provider keys"),
          [](const QJsonObject& key) { return key.value(QLatin1String("pool")).toArray().size(); }},
         {tr("Enabled"),
          [](const QJsonObject& key) { return key.value(QLatin1String("enabled")).toBool() ? tr("Yes") : tr("No"); }},
         {tr("Last used"), [](const QJsonObject& key) { return when(key.value(QLatin1String("lastUsedAt"))); }}},
        this);
    m_table = PageParts::listTable(m_model, QStringLiteral("gatewayKeysTable"), tr("Gateway keys"));

    auto* create = new QPushButton(tr("Create key…"));
    create->setObjectName(QStringLiteral("createGatewayKey"));
    auto* buttons = new QHBoxLayout;
    for (QPushButton* button : {create, m_regenerate, m_toggle, m_remove})
        buttons->addWidget(button);
    buttons->addStretch();
    m_message->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table);
    layout->addWidget(m_message);

    connect(create, &QPushButton::clicked, this, &GatewayKeysPage::create);
    connect(m_regenerate, &QPushButton::clicked, this, &GatewayKeysPage::regenerate);
    connect(m_toggle, &QPushButton::clicked, this, &GatewayKeysPage::toggleEnabled);
    connect(m_remove, &QPushButton::clicked, this, &GatewayKeysPage::removeSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &GatewayKeysPage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &GatewayKeysPage::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &GatewayKeysPage::updateButtons);
    updateButtons();
}

void GatewayKeysPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reload();
}

void GatewayKeysPage::reload()
{
    m_client.get(QStringLiteral("/api/provider-types"), {}, this, [this](const ApiResult& types) {
        for (const QJsonValue& type : types.object().value(QLatin1String("items")).toArray())
            m_formats.insert(type[QLatin1String("id")].toInteger(), type[QLatin1String("apiFormat")].toString());
    });
    m_client.get(QStringLiteral("/api/gateway-keys"), QUrlQuery{{QStringLiteral("pageSize"), QStringLiteral("500")}},
                 this, [this](const ApiResult& result) {
                     if (!result.ok()) {
                         showMessage(result.errorText(), true);
                         return;
                     }
                     m_model->setRows(result.object().value(QLatin1String("items")).toArray());
                 });
}

QJsonObject GatewayKeysPage::selected() const
{
    return PageParts::selectedRow(m_table, *m_model);
}

void GatewayKeysPage::updateButtons()
{
    const QJsonObject key = selected();
    for (QPushButton* button : {m_regenerate, m_toggle, m_remove})
        button->setEnabled(!key.isEmpty());
    m_toggle->setText(key.value(QLatin1String("enabled")).toBool(true) ? tr("Disable") : tr("Enable"));
}

void GatewayKeysPage::showMessage(const QString& text, bool error)
{
    PageParts::showMessage(m_message, text, error);
}

void GatewayKeysPage::create()
{
    auto* dialog = new GatewayKeyDialog(m_client, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &GatewayKeyDialog::created, this, &GatewayKeysPage::showNewKey);
    dialog->open();
}

void GatewayKeysPage::showNewKey(const QJsonObject& key, const QString& apiFormat)
{
    reload();
    auto* shown = new NewKeyDialog(key.value(QLatin1String("key")).toString(), apiFormat, m_proxyUrl.toString(), this);
    shown->setAttribute(Qt::WA_DeleteOnClose);
    shown->open();
}

void GatewayKeysPage::regenerate()
{
    const QJsonObject key = selected();
    PageParts::confirm(
        this, tr("Regenerate gateway key"),
        tr("Make a new secret for %1? The current one stops working at once.")
            .arg(key.value(QLatin1String("name")).toString()),
        tr("Regenerate"), [this, key] {
            const QString format = m_formats.value(key.value(QLatin1String("providerTypeId")).toInteger());
            m_client.post(
                QStringLiteral("/api/gateway-keys/%1/regenerate").arg(key.value(QLatin1String("id")).toInteger()), {},
                this, [this, format](const ApiResult& result) {
                    if (!result.ok()) {
                        showMessage(result.errorText(), true);
                        return;
                    }
                    showNewKey(result.object(), format);
                });
        });
}

void GatewayKeysPage::toggleEnabled()
{
    const QJsonObject key = selected();
    m_client.patch(QStringLiteral("/api/gateway-keys/%1").arg(key.value(QLatin1String("id")).toInteger()),
                   {{QStringLiteral("enabled"), !key.value(QLatin1String("enabled")).toBool()}}, this,
                   [this](const ApiResult& result) {
                       if (!result.ok())
                           showMessage(result.errorText(), true);
                       reload();
                   });
}

void GatewayKeysPage::removeSelected()
{
    const QJsonObject key = selected();
    PageParts::confirm(
        this, tr("Delete gateway key"),
        tr("Delete %1? Applications using it are refused at once.").arg(key.value(QLatin1String("name")).toString()),
        tr("Delete"), [this, key] {
            m_client.remove(QStringLiteral("/api/gateway-keys/%1").arg(key.value(QLatin1String("id")).toInteger()),
                            this, [this](const ApiResult& result) {
                                if (!result.ok())
                                    showMessage(result.errorText(), true);
                                reload();
                            });
        });
}
