#include "pages/ProviderTypeDialog.h"

#include "client/AdminClient.h"
#include "pages/PageParts.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

ProviderTypeDialog::ProviderTypeDialog(AdminClient& client, const QJsonObject& type, QWidget* parent)
    : QDialog(parent), m_client(client), m_type(type), m_active(new QCheckBox(tr("Serve requests of this type"))),
      m_error(PageParts::errorLabel()), m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Edit provider type %1").arg(type.value(QLatin1String("name")).toString()));
    setObjectName(QStringLiteral("providerTypeDialog"));
    setMinimumWidth(520);
    auto* form = new QFormLayout(this);
    const QList<QPair<QString, QString>> fields{{QStringLiteral("displayName"), tr("Display name:")},
                                                {QStringLiteral("baseUrl"), tr("Base URL:")},
                                                {QStringLiteral("authHeader"), tr("Key header:")},
                                                {QStringLiteral("authTemplate"), tr("Key format:")},
                                                {QStringLiteral("probePath"), tr("Test path:")}};
    for (const auto& [field, label] : fields) {
        auto* edit = new QLineEdit(type.value(field).toString());
        edit->setObjectName(field);
        QLabel* error = PageParts::errorLabel();
        error->setObjectName(field + QStringLiteral("Error"));
        error->hide();
        auto* column = new QVBoxLayout;
        column->setSpacing(2);
        column->addWidget(edit);
        column->addWidget(error);
        form->addRow(label, column);
        m_fields.insert(field, edit);
        m_fieldErrors.insert(field, error);
    }
    m_fields.value(QStringLiteral("authTemplate"))->setPlaceholderText(QStringLiteral("Bearer {key}"));
    m_active->setObjectName(QStringLiteral("active"));
    m_active->setChecked(type.value(QLatin1String("active")).toBool());
    form->addRow(QString(), m_active);
    form->addRow(m_error);
    form->addRow(m_buttons);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Save"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProviderTypeDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ProviderTypeDialog::reject);
}

QString ProviderTypeDialog::fieldError(const QString& field) const
{
    const QLabel* label = m_fieldErrors.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

void ProviderTypeDialog::accept()
{
    QJsonObject change;
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it) {
        const QString text = it.value()->text().trimmed();
        if (text != m_type.value(it.key()).toString())
            change.insert(it.key(), text.isEmpty() && it.key() == QLatin1String("probePath") ? QJsonValue() : text);
    }
    if (m_active->isChecked() != m_type.value(QLatin1String("active")).toBool())
        change.insert(QStringLiteral("active"), m_active->isChecked());
    if (change.isEmpty()) {
        QDialog::accept();
        return;
    }
    showProblems({});
    m_buttons->setEnabled(false);
    m_client.patch(QStringLiteral("/api/provider-types/%1").arg(m_type.value(QLatin1String("id")).toInteger()), change,
                   this, [this](const ApiResult& result) {
                       m_buttons->setEnabled(true);
                       if (!result.ok()) {
                           showProblems(result.errorText());
                           return;
                       }
                       emit saved(result.object());
                       QDialog::accept();
                   });
}

// The server lists its objections separated by "; ", each naming its field in quotes.
void ProviderTypeDialog::showProblems(const QString& message)
{
    for (QLabel* label : std::as_const(m_fieldErrors))
        label->hide();
    QStringList general;
    static const QRegularExpression named(QStringLiteral("^'([A-Za-z]+)'"));
    for (const QString& problem : message.split(QStringLiteral("; "), Qt::SkipEmptyParts)) {
        const QRegularExpressionMatch match = named.match(problem);
        if (QLabel* label = match.hasMatch() ? m_fieldErrors.value(match.captured(1)) : nullptr) {
            label->setText(problem);
            label->show();
        } else {
            general << problem;
        }
    }
    m_error->setText(general.join(QLatin1Char('\n')));
}
