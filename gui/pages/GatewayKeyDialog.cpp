#include "pages/GatewayKeyDialog.h"

#include "client/AdminClient.h"
#include "pages/PageParts.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>

GatewayKeyDialog::GatewayKeyDialog(AdminClient& client, QWidget* parent)
    : QDialog(parent), m_client(client), m_name(new QLineEdit), m_type(new QComboBox), m_pool(new QListWidget),
      m_strategy(new QComboBox), m_rpm(new QSpinBox), m_error(PageParts::errorLabel()),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Create gateway key"));
    setObjectName(QStringLiteral("gatewayKeyDialog"));
    setMinimumWidth(460);
    m_name->setObjectName(QStringLiteral("keyName"));
    m_type->setObjectName(QStringLiteral("providerType"));
    m_pool->setObjectName(QStringLiteral("pool"));
    m_strategy->setObjectName(QStringLiteral("strategy"));
    m_strategy->addItem(tr("Round robin"), QStringLiteral("round_robin"));
    m_strategy->addItem(tr("Weighted"), QStringLiteral("weighted"));
    m_strategy->addItem(tr("Healthiest first"), QStringLiteral("health_best"));
    m_strategy->addItem(tr("Smart (latency and errors)"), QStringLiteral("smart"));
    m_rpm->setRange(0, 1'000'000);
    m_rpm->setSpecialValueText(tr("No limit"));
    m_rpm->setSuffix(tr(" per minute"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Create"));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);

    auto* form = new QFormLayout(this);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Provider:"), m_type);
    form->addRow(tr("Provider keys:"), m_pool);
    form->addRow(tr("Strategy:"), m_strategy);
    form->addRow(tr("Requests:"), m_rpm);
    form->addRow(m_error);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &GatewayKeyDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &GatewayKeyDialog::reject);
    connect(m_type, &QComboBox::currentIndexChanged, this, &GatewayKeyDialog::loadPool);

    PageParts::loadProviderTypes(m_client, m_type, [this](const QString& error) { m_error->setText(error); });
}

// The pool offers the live keys of the chosen type, all ticked.
void GatewayKeyDialog::loadPool()
{
    m_pool->clear();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    const qint64 typeId = m_type->currentData().toList().value(0).toLongLong();
    m_client.get(QStringLiteral("/api/provider-keys"),
                 QUrlQuery{{QStringLiteral("providerTypeId"), QString::number(typeId)},
                           {QStringLiteral("pageSize"), QStringLiteral("500")}},
                 this, [this, typeId](const ApiResult& result) {
                     if (typeId != m_type->currentData().toList().value(0).toLongLong())
                         return;
                     if (!result.ok()) {
                         m_error->setText(result.errorText());
                         return;
                     }
                     for (const QJsonValue& key : result.object().value(QLatin1String("items")).toArray()) {
                         auto* item = new QListWidgetItem(key[QLatin1String("name")].toString(), m_pool);
                         item->setData(Qt::UserRole, key[QLatin1String("id")].toInteger());
                         item->setCheckState(Qt::Checked);
                     }
                     m_error->setText(m_pool->count() == 0 ? tr("Add a key of this provider first.") : QString());
                     m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_pool->count() > 0);
                 });
}

void GatewayKeyDialog::accept()
{
    QJsonArray pool;
    for (int i = 0; i < m_pool->count(); ++i) {
        if (m_pool->item(i)->checkState() == Qt::Checked)
            pool.append(m_pool->item(i)->data(Qt::UserRole).toLongLong());
    }
    const QVariantList type = m_type->currentData().toList();
    QJsonObject body{{QStringLiteral("name"), m_name->text().trimmed()},
                     {QStringLiteral("providerTypeId"), type.value(0).toLongLong()},
                     {QStringLiteral("pool"), pool},
                     {QStringLiteral("strategy"), m_strategy->currentData().toString()}};
    if (m_rpm->value() > 0)
        body.insert(QStringLiteral("rpmLimit"), m_rpm->value());
    m_buttons->setEnabled(false);
    m_client.post(QStringLiteral("/api/gateway-keys"), body, this,
                  [this, format = type.value(1).toString()](const ApiResult& result) {
                      m_buttons->setEnabled(true);
                      if (!result.ok()) {
                          m_error->setText(result.errorText());
                          return;
                      }
                      emit created(result.object(), format);
                      QDialog::accept();
                  });
}
