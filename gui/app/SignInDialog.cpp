#include "app/SignInDialog.h"

#include "client/AdminClient.h"
#include "pages/PageParts.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

SignInDialog::SignInDialog(AdminClient& client, QWidget* parent)
    : QDialog(parent), m_client(client), m_username(new QLineEdit(QStringLiteral("admin"))), m_password(new QLineEdit),
      m_error(PageParts::errorLabel()), m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Sign in to the gateway"));
    setObjectName(QStringLiteral("signInDialog"));
    setMinimumWidth(460);
    m_username->setObjectName(QStringLiteral("username"));
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Sign in"));
    auto* form = new QFormLayout(this);
    form->addRow(new QLabel(tr("Gateway: %1").arg(client.baseUrl().toString())));
    form->addRow(tr("User name:"), m_username);
    form->addRow(tr("Password:"), m_password);
    form->addRow(m_error);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SignInDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SignInDialog::reject);
    m_password->setFocus();
}

void SignInDialog::accept()
{
    m_buttons->setEnabled(false);
    m_error->clear();
    m_client.signIn(m_username->text().trimmed(), m_password->text(), this, [this](const ApiResult& result) {
        m_buttons->setEnabled(true);
        if (!result.ok()) {
            m_error->setText(result.errorText());
            m_password->selectAll();
            return;
        }
        QDialog::accept();
    });
}
