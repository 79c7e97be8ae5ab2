#include "app/ConnectDialog.h"

#include "client/AdminClient.h"
#include "pages/PageParts.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

ConnectDialog::ConnectDialog(AdminClient& client, QWidget* parent)
    : QDialog(parent), m_client(client), m_url(new QLineEdit), m_username(new QLineEdit), m_password(new QLineEdit),
      m_error(PageParts::errorLabel()), m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel))
{
    setWindowTitle(tr("Connect to a gateway"));
    setObjectName(QStringLiteral("connectDialog"));
    setMinimumWidth(480);
    m_url->setObjectName(QStringLiteral("url"));
    m_url->setPlaceholderText(QStringLiteral("https://gateway.example.com:9090"));
    m_username->setObjectName(QStringLiteral("username"));
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    auto* form = new QFormLayout(this);
    form->addRow(new QLabel(tr("The address of the gateway's admin API (gatehoused's admin listener).")));
    form->addRow(tr("Address:"), m_url);
    form->addRow(tr("User name:"), m_username);
    form->addRow(tr("Password:"), m_password);
    form->addRow(m_error);
    form->addRow(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);
}

void ConnectDialog::accept()
{
    const QUrl url = QUrl::fromUserInput(m_url->text().trimmed());
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty()) {
        m_error->setText(tr("Give the address as http://host:port or https://host:port."));
        return;
    }
    const RemoteConnection connection{url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment),
                                      m_username->text().trimmed()};
    m_buttons->setEnabled(false);
    m_error->clear();
    // The attempt signs in with a client of its own: until it succeeds, the window's client stays on its gateway
    // with its session, and no token of one gateway is ever sent to another.
    auto* attempt = new AdminClient(this);
    attempt->setBaseUrl(connection.url);
    attempt->signIn(connection.username, m_password->text(), this,
                    [this, attempt, connection](const ApiResult& result) {
                        attempt->deleteLater();
                        m_buttons->setEnabled(true);
                        if (!result.ok()) {
                            m_error->setText(result.errorText());
                            return;
                        }
                        m_password->clear();
                        emit connecting(connection);
                        m_client.takeSession(*attempt);
                        emit connected(connection);
                        QDialog::accept();
                    });
}
