#include "pages/ConnectAccountDialog.h"

#include "client/AdminClient.h"
#include "pages/LoopbackRedirect.h"
#include "pages/PageParts.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QUrlQuery>

ConnectAccountDialog::ConnectAccountDialog(AdminClient& client, QWidget* parent)
    : QDialog(parent), m_client(client), m_redirect(new LoopbackRedirect(this)), m_config(new QComboBox),
      m_name(new QLineEdit), m_signIn(new QPushButton(tr("Sign in…"))), m_status(new QLabel), m_callback(new QLineEdit),
      m_finish(new QPushButton(tr("Finish"))), m_error(PageParts::errorLabel())
{
    setWindowTitle(tr("Connect account"));
    setObjectName(QStringLiteral("connectAccountDialog"));
    setMinimumWidth(520);
    m_config->setObjectName(QStringLiteral("oauthConfig"));
    m_name->setObjectName(QStringLiteral("accountName"));
    m_name->setPlaceholderText(tr("e.g. work subscription"));
    m_signIn->setObjectName(QStringLiteral("signInButton"));
    m_status->setObjectName(QStringLiteral("connectStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_callback->setObjectName(QStringLiteral("callbackUrl"));
    m_callback->setPlaceholderText(tr("http://localhost:1455/auth/callback?code=…&state=…"));
    m_finish->setObjectName(QStringLiteral("finishButton"));
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close);

    auto* form = new QFormLayout(this);
    form->addRow(tr("Account type:"), m_config);
    form->addRow(tr("Name:"), m_name);
    form->addRow(QString(), m_signIn);
    form->addRow(m_status);
    form->addRow(tr("Address the browser ended on:"), m_callback);
    form->addRow(QString(), m_finish);
    form->addRow(m_error);
    form->addRow(close);

    connect(m_signIn, &QPushButton::clicked, this, &ConnectAccountDialog::signIn);
    connect(m_finish, &QPushButton::clicked, this, [this] { finish(QUrl(m_callback->text().trimmed())); });
    connect(m_redirect, &LoopbackRedirect::arrived, this, &ConnectAccountDialog::finish);
    connect(close, &QDialogButtonBox::rejected, this, &ConnectAccountDialog::reject);
    m_callback->setEnabled(false);
    m_finish->setEnabled(false);
    loadConfigurations();
}

void ConnectAccountDialog::loadConfigurations()
{
    m_signIn->setEnabled(false);
    m_client.get(QStringLiteral("/api/oauth/configs"),
                 QUrlQuery{{QStringLiteral("enabled"), QStringLiteral("true")},
                           {QStringLiteral("pageSize"), QStringLiteral("100")}},
                 this, [this](const ApiResult& result) {
                     if (!result.ok()) {
                         m_error->setText(result.errorText());
                         return;
                     }
                     for (const QJsonValue& value : result.object().value(QLatin1String("items")).toArray()) {
                         const QJsonObject config = value.toObject();
                         m_config->addItem(tr("%1 (%2)").arg(config.value(QLatin1String("name")).toString(),
                                                             config.value(QLatin1String("providerType")).toString()),
                                           QVariantList{config.value(QLatin1String("id")).toInteger(),
                                                        config.value(QLatin1String("redirectUri")).toString()});
                     }
                     if (m_config->count() == 0)
                         m_error->setText(tr("No OAuth configuration is enabled. An administrator adds or enables one "
                                             "through the admin API (/api/oauth/configs, see docs/oauth.md)."));
                     m_signIn->setEnabled(m_config->count() > 0);
                 });
}

void ConnectAccountDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_signIn->setEnabled(!busy && m_config->count() > 0);
    m_finish->setEnabled(!busy && m_started);
    m_callback->setEnabled(!busy && m_started);
}

void ConnectAccountDialog::signIn()
{
    m_error->clear();
    setBusy(true);
    const QVariantList config = m_config->currentData().toList();
    const QUrl redirectUri(config.value(1).toString());
    m_client.post(QStringLiteral("/api/oauth/authorize"),
                  {{QStringLiteral("configId"), config.value(0).toLongLong()},
                   {QStringLiteral("name"), m_name->text().trimmed()}},
                  this, [this, redirectUri](const ApiResult& result) {
                      if (!result.ok()) {
                          m_error->setText(result.errorText());
                          setBusy(false);
                          return;
                      }
                      m_started = true;
                      const QUrl url(result.object().value(QLatin1String("authorizationUrl")).toString());
                      const bool caught = m_redirect->listen(
                          redirectUri, QUrlQuery(url).queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded));
                      QString status = caught ? tr("Sign in in the browser window. Gatehouse takes the answer when "
                                                   "the browser comes back to this computer.")
                                              : tr("Sign in in the browser window, then paste here the address the "
                                                   "browser ended on (it may show an error page: the address is what "
                                                   "counts).");
                      if (!QDesktopServices::openUrl(url))
                          status += QLatin1Char('\n') + tr("No browser could be opened: open this address in one: %1")
                                                            .arg(url.toString(QUrl::FullyEncoded));
                      m_status->setText(status);
                      setBusy(false);
                  });
}

void ConnectAccountDialog::finish(const QUrl& callbackUrl)
{
    if (m_busy || !m_started)
        return; // an exchange already out, or no authorization open
    m_error->clear();
    setBusy(true);
    m_client.post(QStringLiteral("/api/oauth/exchange"),
                  {{QStringLiteral("callbackUrl"), callbackUrl.toString(QUrl::FullyEncoded)}}, this,
                  [this](const ApiResult& result) {
                      m_redirect->close(); // its state is used, whatever came of it
                      if (!result.ok()) {
                          m_started = false;
                          m_callback->clear();
                          m_status->clear();
                          m_error->setText(tr("%1 Sign in again to retry.").arg(result.errorText()));
                          setBusy(false);
                          return;
                      }
                      emit connected(result.object());
                      accept();
                  });
}
