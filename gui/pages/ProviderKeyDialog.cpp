#include "pages/ProviderKeyDialog.h"

#include "client/AdminClient.h"
#include "pages/PageParts.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

ProviderKeyDialog::ProviderKeyDialog(AdminClient& client, const QJsonObject& existing, QWidget* parent)
    : QDialog(parent), m_client(client), m_id(existing.value(QLatin1String("id")).toInteger()), m_type(new QComboBox),
      m_name(new QLineEdit), m_secret(new QLineEdit), m_weight(new QSpinBox), m_error(PageParts::errorLabel()),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(m_id ? tr("Edit provider key") : tr("Add provider key"));
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
    m_buttons->button(QDialogButtonBox::Ok)->setText(m_id ? tr("Save") : tr("Add"));
    if (m_id) {
        m_name->setText(existing.value(QLatin1String("name")).toString());
        m_weight->setValue(existing.value(QLatin1String("weight")).toInt(1));
        m_secret->setPlaceholderText(
            tr("unchanged (%1)").arg(existing.value(QLatin1String("secretMasked")).toString()));
        m_type->setEnabled(false); // a key belongs to its provider for good
    }

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
    PageParts::loadProviderTypes(
        m_client, m_type,
        [this, typeId = existing.value(QLatin1String("providerTypeId")).toInteger()](const QString& error) {
            m_error->setText(error);
            for (int i = 0; m_id && i < m_type->count(); ++i) {
                if (m_type->itemData(i).toList().value(0).toLongLong() == typeId)
                    m_type->setCurrentIndex(i);
            }
            m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_type->count() > 0);
        });
}

void ProviderKeyDialog::accept()
{
    m_buttons->setEnabled(false);
    m_error->clear();
    QJsonObject body{{QStringLiteral("name"), m_name->text().trimmed()}, {QStringLiteral("weight"), m_weight->value()}};
    if (!m_id || !m_secret->text().trimmed().isEmpty())
        body.insert(QStringLiteral("secret"), m_secret->text().trimmed());
    const auto done = [this](const ApiResult& result) {
        m_buttons->setEnabled(true);
        if (!result.ok()) {
            m_error->setText(result.errorText());
            return;
        }
        m_secret->clear();
        emit saved(result.object());
        QDialog::accept();
    };
    if (m_id) {
        m_client.patch(QStringLiteral("/api/provider-keys/%1").arg(m_id), body, this, done);
        return;
    }
    body.insert(QStringLiteral("providerTypeId"), m_type->currentData().toList().value(0).toLongLong());
    m_client.post(QStringLiteral("/api/provider-keys"), body, this, done);
}
