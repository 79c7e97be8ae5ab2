#include "pages/ProviderKeysPage.h"

#include "client/AdminClient.h"
#include "models/JsonTableModel.h"
#include "pages/ConnectAccountDialog.h"
#include "pages/KeyHealthText.h"
#include "pages/PageParts.h"
#include "pages/ProviderKeyDialog.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

ProviderKeysPage::ProviderKeysPage(AdminClient& client, QWidget* parent)
    : QWidget(parent), m_client(client), m_add(new QPushButton(tr("Add key…"))),
      m_connect(new QPushButton(tr("Connect account…"))), m_edit(new QPushButton(tr("Edit…"))),
      m_test(new QPushButton(tr("Test"))), m_toggle(new QPushButton(tr("Disable"))),
      m_reset(new QPushButton(tr("Reset health"))), m_remove(new QPushButton(tr("Delete"))), m_message(new QLabel),
      m_poll(new QTimer(this))
{
    m_model = new JsonTableModel(
        {{tr("Name"), [](const QJsonObject& key) { return key.value(QLatin1String("name")).toString(); }},
         {tr("Provider"), [](const QJsonObject& key) { return key.value(QLatin1String("providerType")).toString(); }},
         {tr("Secret"),
          [](const QJsonObject& key) {
              return key.value(QLatin1String("authKind")).toString() == QLatin1String("oauth")
                         ? tr("OAuth account")
                         : key.value(QLatin1String("secretMasked")).toString();
          }},
         {tr("Active"),
          [](const QJsonObject& key) { return key.value(QLatin1String("active")).toBool() ? tr("Yes") : tr("No"); }},
         {tr("Health"),
          [this](const QJsonObject& key) {
              const qint64 id = key.value(QLatin1String("id")).toInteger();
              return KeyHealthText::status(m_health.value(id, key.value(QLatin1String("health")).toObject()));
          }},
         {tr("Last test"),
          [this](const QJsonObject& key) {
              return KeyHealthText::lastProbe(m_health.value(key.value(QLatin1String("id")).toInteger()));
          }}},
        this);
    m_table = PageParts::listTable(m_model, QStringLiteral("providerKeysTable"), tr("Provider keys"));

    m_add->setObjectName(QStringLiteral("addProviderKey"));
    m_connect->setObjectName(QStringLiteral("connectAccount"));
    m_connect->setToolTip(tr("Signs in to a provider account in the browser (OAuth) and adds it as a key"));
    m_test->setObjectName(QStringLiteral("testProviderKey"));
    m_test->setToolTip(tr("Makes one cheap call with the key (its provider's model list) and shows the result"));
    m_reset->setObjectName(QStringLiteral("resetProviderKeyHealth"));
    m_remove->setObjectName(QStringLiteral("deleteProviderKey"));
    auto* buttons = new QHBoxLayout;
    m_edit->setObjectName(QStringLiteral("editProviderKey"));
    for (QPushButton* button : {m_add, m_connect, m_edit, m_test, m_toggle, m_reset, m_remove})
        buttons->addWidget(button);
    buttons->addStretch();
    m_message->setObjectName(QStringLiteral("providerKeysMessage"));
    m_message->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table);
    layout->addWidget(m_message);

    connect(m_add, &QPushButton::clicked, this, &ProviderKeysPage::add);
    connect(m_connect, &QPushButton::clicked, this, &ProviderKeysPage::connectAccount);
    connect(m_edit, &QPushButton::clicked, this, &ProviderKeysPage::editSelected);
    connect(m_table, &QTableView::doubleClicked, this, [this] {
        if (m_mayManage)
            editSelected();
    });
    connect(m_test, &QPushButton::clicked, this, &ProviderKeysPage::test);
    connect(m_toggle, &QPushButton::clicked, this, &ProviderKeysPage::toggleActive);
    connect(m_reset, &QPushButton::clicked, this, &ProviderKeysPage::resetHealth);
    connect(m_remove, &QPushButton::clicked, this, &ProviderKeysPage::removeSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ProviderKeysPage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ProviderKeysPage::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ProviderKeysPage::updateButtons);
    m_poll->setInterval(3000);
    connect(m_poll, &QTimer::timeout, this, &ProviderKeysPage::reload);
    updateButtons();
}

void ProviderKeysPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reload();
    m_poll->start();
}

void ProviderKeysPage::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_poll->stop();
}

void ProviderKeysPage::reload()
{
    m_client.get(QStringLiteral("/api/health"), {}, this, [this](const ApiResult& health) {
        if (health.ok()) {
            m_health.clear();
            for (const QJsonValue& key : health.object().value(QLatin1String("keys")).toArray())
                m_health.insert(key.toObject().value(QLatin1String("id")).toInteger(), key.toObject());
        }
        m_client.get(QStringLiteral("/api/provider-keys"),
                     QUrlQuery{{QStringLiteral("pageSize"), QStringLiteral("500")}}, this,
                     [this](const ApiResult& keys) {
                         if (!keys.ok()) {
                             showMessage(keys.errorText(), true);
                             return;
                         }
                         const qint64 selectedId = selected().value(QLatin1String("id")).toInteger();
                         m_model->setRows(keys.object().value(QLatin1String("items")).toArray());
                         if (const int row = m_model->rowOfId(selectedId); row >= 0)
                             m_table->selectRow(row);
                     });
    });
}

QJsonObject ProviderKeysPage::selected() const
{
    return PageParts::selectedRow(m_table, *m_model);
}

void ProviderKeysPage::setMayManage(bool may)
{
    m_mayManage = may;
    for (QPushButton* button : {m_add, m_connect, m_edit, m_test, m_toggle, m_reset, m_remove})
        button->setVisible(may);
    updateButtons();
}

void ProviderKeysPage::updateButtons()
{
    const QJsonObject key = selected();
    for (QPushButton* button : {m_edit, m_test, m_toggle, m_reset, m_remove})
        button->setEnabled(m_mayManage && !key.isEmpty());
    m_toggle->setText(key.value(QLatin1String("active")).toBool(true) ? tr("Disable") : tr("Enable"));
}

void ProviderKeysPage::showMessage(const QString& text, bool error)
{
    PageParts::showMessage(m_message, text, error);
}

void ProviderKeysPage::add()
{
    auto* dialog = new ProviderKeyDialog(m_client, {}, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProviderKeyDialog::saved, this, [this](const QJsonObject& key) {
        showMessage(tr("Added %1.").arg(key.value(QLatin1String("name")).toString()));
        reload();
    });
    dialog->open();
}

void ProviderKeysPage::connectAccount()
{
    auto* dialog = new ConnectAccountDialog(m_client, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ConnectAccountDialog::connected, this, [this](const QJsonObject& session) {
        showMessage(tr("Connected %1.").arg(session.value(QLatin1String("name")).toString()));
        reload();
    });
    dialog->open();
}

void ProviderKeysPage::editSelected()
{
    const QJsonObject key = selected();
    if (key.isEmpty())
        return;
    auto* dialog = new ProviderKeyDialog(m_client, key, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProviderKeyDialog::saved, this, [this](const QJsonObject& saved) {
        showMessage(tr("Saved %1.").arg(saved.value(QLatin1String("name")).toString()));
        reload();
    });
    dialog->open();
}

void ProviderKeysPage::test()
{
    const QJsonObject key = selected();
    const qint64 id = key.value(QLatin1String("id")).toInteger();
    const QString before = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    showMessage(tr("Testing %1…").arg(key.value(QLatin1String("name")).toString()));
    m_client.post(QStringLiteral("/api/health/%1/probe").arg(id), {}, this,
                  [this, id, before](const ApiResult& result) {
                      if (!result.ok()) {
                          showMessage(result.errorText(), true);
                          return;
                      }
                      waitForProbe(id, before, 40);
                  });
}

// The probe's answer lands in the key's lastProbe; look every quarter second, for up to the probe's timeout.
void ProviderKeysPage::waitForProbe(qint64 id, const QString& after, int attemptsLeft)
{
    m_client.get(QStringLiteral("/api/health"), {}, this, [this, id, after, attemptsLeft](const ApiResult& result) {
        if (!result.ok()) {
            showMessage(result.errorText(), true);
            return;
        }
        for (const QJsonValue& value : result.object().value(QLatin1String("keys")).toArray()) {
            const QJsonObject key = value.toObject();
            if (key.value(QLatin1String("id")).toInteger() != id)
                continue;
            const QJsonObject probe = key.value(QLatin1String("lastProbe")).toObject();
            if (!probe.isEmpty() && probe.value(QLatin1String("at")).toString() >= after.left(19)) {
                const bool ok = probe.value(QLatin1String("ok")).toBool();
                const QJsonValue status = probe.value(QLatin1String("status"));
                showMessage(ok ? tr("%1 works (%2 ms).")
                                     .arg(key.value(QLatin1String("name")).toString())
                                     .arg(probe.value(QLatin1String("latencyMs")).toInteger())
                               : tr("%1 failed: %2")
                                     .arg(key.value(QLatin1String("name")).toString(),
                                          status.isNull() ? probe.value(QLatin1String("error")).toString()
                                                          : tr("the provider answered HTTP %1").arg(status.toInt())),
                            !ok);
                reload();
                return;
            }
        }
        if (attemptsLeft <= 0) {
            showMessage(tr("The test got no answer in time."), true);
            return;
        }
        QTimer::singleShot(250, this, [this, id, after, attemptsLeft] { waitForProbe(id, after, attemptsLeft - 1); });
    });
}

void ProviderKeysPage::toggleActive()
{
    const QJsonObject key = selected();
    const bool active = key.value(QLatin1String("active")).toBool();
    m_client.patch(QStringLiteral("/api/provider-keys/%1").arg(key.value(QLatin1String("id")).toInteger()),
                   {{QStringLiteral("active"), !active}}, this, [this](const ApiResult& result) {
                       if (!result.ok())
                           showMessage(result.errorText(), true);
                       reload();
                   });
}

void ProviderKeysPage::resetHealth()
{
    const QJsonObject key = selected();
    m_client.post(QStringLiteral("/api/health/%1/reset").arg(key.value(QLatin1String("id")).toInteger()), {}, this,
                  [this](const ApiResult& result) {
                      if (!result.ok())
                          showMessage(result.errorText(), true);
                      reload();
                  });
}

void ProviderKeysPage::removeSelected()
{
    const QJsonObject key = selected();
    PageParts::confirm(
        this, tr("Delete provider key"),
        tr("Delete %1? Gateway keys stop using it at once.").arg(key.value(QLatin1String("name")).toString()),
        tr("Delete"), [this, key] {
            m_client.remove(QStringLiteral("/api/provider-keys/%1").arg(key.value(QLatin1String("id")).toInteger()),
                            this, [this](const ApiResult& result) {
                                if (!result.ok())
                                    showMessage(result.errorText(), true);
                                reload();
                            });
        });
}
