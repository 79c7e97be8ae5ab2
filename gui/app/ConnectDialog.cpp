#include "app/ConnectDialog.h"

#include "client/AdminClient.h"
#include "pages/PageParts.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHostAddress>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

ConnectDialog::ConnectDialog(AdminClient& client, QWidget* parent)
    : QDialog(parent), m_client(client), m_url(new QLineEdit), m_username(new QLineEdit), m_password(new QLineEdit),
      m_trust(new QCheckBox), m_inClear(new QCheckBox(tr("Connect without encryption anyway"))),
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
    m_trust->setObjectName(QStringLiteral("trustCertificate"));
    m_trust->hide();
    m_inClear->setObjectName(QStringLiteral("connectInClear"));
    m_inClear->hide();
    form->addRow(m_error);
    form->addRow(m_trust);
    form->addRow(m_inClear);
    form->addRow(m_buttons);
    // A pin or a consent given for one address does not carry over to another.
    connect(m_url, &QLineEdit::textEdited, this, [this] {
        m_trust->setChecked(false);
        m_trust->hide();
        m_inClear->setChecked(false);
        m_inClear->hide();
    });
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
    RemoteConnection connection{url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment),
                                m_username->text().trimmed(), m_trust->isChecked() ? m_presented : QByteArray()};
    // Over plain http to another machine the password and the tokens cross the network readable by anyone on the
    // way: only when the user says so.
    const bool loopback = url.host() == QLatin1String("localhost") || QHostAddress(url.host()).isLoopback();
    if (url.scheme() == QLatin1String("http") && !loopback && !m_inClear->isChecked()) {
        m_error->setText(tr("This address is not encrypted (http): your password and your session would cross the "
                            "network in clear. Use https, or connect anyway if the network is yours."));
        m_inClear->show();
        return;
    }
    m_buttons->setEnabled(false);
    m_error->clear();
    // The attempt signs in with a client of its own: until it succeeds, the window's client stays on its gateway
    // with its session, and no token of one gateway is ever sent to another.
    auto* attempt = new AdminClient(this);
    attempt->setBaseUrl(connection.url, connection.pinnedCertificate, connection.sessionAccount());
    attempt->signIn(connection.username, m_password->text(), this,
                    [this, attempt, connection](const ApiResult& result) {
                        attempt->deleteLater();
                        m_buttons->setEnabled(true);
                        if (result.errorCode == QLatin1String("untrusted_certificate")) {
                            offerToTrust(result.certificate);
                            return;
                        }
                        if (!result.ok()) {
                            m_error->setText(result.errorText());
                            return;
                        }
                        m_password->clear();
                        m_client.takeSession(*attempt);
                        emit connected(connection);
                        QDialog::accept();
                    });
}

// The gateway presented a certificate this computer does not trust (self-signed, or from a private CA): show its
// fingerprint to compare with the server's, and let the user trust that one certificate for this gateway.
void ConnectDialog::offerToTrust(const QByteArray& certificate)
{
    m_presented = certificate;
    QString fingerprint;
    for (int i = 0; i < certificate.size(); i += 2)
        fingerprint += (i ? QStringLiteral(":") : QString()) + QString::fromLatin1(certificate.mid(i, 2)).toUpper();
    m_error->setText(tr("This computer does not trust the gateway's certificate. If it is your server's own "
                        "certificate, compare its SHA-256 fingerprint with the one the server shows (openssl x509 "
                        "-noout -fingerprint -sha256 -in its certificate):\n%1")
                         .arg(fingerprint));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_trust->setText(tr("Trust this certificate for this gateway"));
    m_trust->setChecked(false);
    m_trust->show();
}
