#include "pages/ProviderKeyDialog.h"

#include "client/AdminClient.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

ProviderKeyDialog::ProviderKeyDialog(AdminClient& client, QWidget* parent)
    : QDialog(parent), m_client(client), m_type(new QComboBox), m_name(new QLineEdit), m_secret(new QLineEdit),
      m_weight(new QSpinBox), m_error(new QLabel),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Add provider key"));
    setObjectName(QStringLiteral("providerKeyDialog"));
    setMinimumWidth(460);
    m_type->setObjectName(QStringLiteral("providerType"));
    m_name->setObjectName(QStringLiteral("keyName"));
    m_secret->setObjectName(QStringLiteral("secret"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setPlaceholderText(tr("sk-…"));
    QAction* show = m_secret->addAction(QIcon::fromTheme(QStringLiteral("view-visible")), QLineEdit::TrailingPosition);
    show->setCheckable(true);
    show->setToolTip(tr("Show the secret"));
    connect(show, &QAction::toggled, this,
            [this](bool on) { m_secret->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password); });
    m_weight->setRange(1, 1000);
    m_weight->setValue(1);
    m_weight->setToolTip(tr("Share of requests under the weighted strategy"));
    m_error->setObjectName(QStringLiteral("dialogError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Add"));

    auto* form = new QFormLayout(this);
    form->addRow(tr("Provider:"), m_type);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Secret:"), m_secret);
    form->addRow(tr("Weight:"), m_weight);
    form->addRow(m_error);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProviderKeyDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ProviderKeyDialog::reject);

    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_client.get(QStringLiteral("/api/provider-types"), QUrlQuery{{QStringLiteral("active"), QStringLiteral("true")}},
                 this, [this](const ApiResult& result) {
                     if (!result.ok()) {
                         m_error->setText(result.errorText());
                         return;
                     }
                     for (const QJsonValue& type : result.object().value(QLatin1String("items")).toArray())
                         m_type->addItem(type[QLatin1String("displayName")].toString(),
                                         type[QLatin1String("id")].toInteger());
                     m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_type->count() > 0);
                 });
}

void ProviderKeyDialog::accept()
{
    m_buttons->setEnabled(false);
    m_error->clear();
    const QJsonObject body{{QStringLiteral("providerTypeId"), m_type->currentData().toLongLong()},
                           {QStringLiteral("name"), m_name->text().trimmed()},
                           {QStringLiteral("secret"), m_secret->text().trimmed()},
                           {QStringLiteral("weight"), m_weight->value()}};
    m_client.post(QStringLiteral("/api/provider-keys"), body, this, [this](const ApiResult& result) {
        m_buttons->setEnabled(true);
        if (!result.ok()) {
            m_error->setText(result.errorText());
            return;
        }
        m_secret->clear();
        emit created(result.object());
        QDialog::accept();
    });
}
