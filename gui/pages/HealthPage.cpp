#include "pages/HealthPage.h"

#include "client/AdminClient.h"
#include "models/JsonTableModel.h"
#include "pages/KeyHealthText.h"
#include "pages/PageParts.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

HealthPage::HealthPage(AdminClient& client, QWidget* parent)
    : QWidget(parent), m_client(client), m_reset(new QPushButton(tr("Reset health"))), m_message(new QLabel),
      m_poll(new QTimer(this))
{
    const auto number = [](const QJsonObject& key, const char* field) {
        return QLocale().toString(key.value(QLatin1String(field)).toInteger());
    };
    m_model = new JsonTableModel(
        {{tr("Key"), [](const QJsonObject& key) { return key.value(QLatin1String("name")).toString(); }},
         {tr("Provider"), [](const QJsonObject& key) { return key.value(QLatin1String("providerType")).toString(); }},
         {tr("In the pool"),
          [](const QJsonObject& key) { return key.value(QLatin1String("served")).toBool() ? tr("Yes") : tr("No"); }},
         {tr("Status"), [](const QJsonObject& key) { return KeyHealthText::status(key); }},
         {tr("In flight"), [number](const QJsonObject& key) { return number(key, "inFlight"); }},
         {tr("Latency"),
          [](const QJsonObject& key) {
              const QJsonValue latency = key.value(QLatin1String("latencyEwmaMs"));
              return latency.isNull() ? tr("—") : tr("%1 ms").arg(QLocale().toString(latency.toDouble(), 'f', 0));
          }},
         {tr("Error rate"),
          [](const QJsonObject& key) {
              return QLocale().toString(100 * key.value(QLatin1String("errorRate")).toDouble(), 'f', 1) +
                     QLocale().percent();
          }},
         {tr("Succeeded"), [number](const QJsonObject& key) { return number(key, "successes"); }},
         {tr("Failed"), [number](const QJsonObject& key) { return number(key, "failures"); }},
         {tr("Failures in a row"), [number](const QJsonObject& key) { return number(key, "consecutiveFailures"); }},
         {tr("Last test"), [](const QJsonObject& key) { return KeyHealthText::lastProbe(key); }},
         {tr("Last error"),
          [](const QJsonObject& key) {
              const QString error = key.value(QLatin1String("lastError")).toString();
              if (error.isEmpty())
                  return tr("—");
              const QDateTime at =
                  QDateTime::fromString(key.value(QLatin1String("lastErrorAt")).toString(), Qt::ISODateWithMs);
              return tr("%1: %2").arg(QLocale().toString(at.toLocalTime(), QLocale::ShortFormat), error);
          }}},
        this);
    m_table = PageParts::listTable(m_model, QStringLiteral("healthTable"), tr("Health of the provider keys"));
    m_reset->setObjectName(QStringLiteral("resetHealth"));
    m_reset->setToolTip(tr("Clears the key's cooldown, ejection and invalid mark: the proxy uses it again at once."));
    m_message->setObjectName(QStringLiteral("healthMessage"));
    m_message->setWordWrap(true);
    auto* top = new QHBoxLayout;
    auto* explanation = new QLabel(tr("Updated every few seconds. A key cools down after a 429, is ejected after "
                                      "repeated failures and comes back by itself; an invalid key waits for you."));
    explanation->setWordWrap(true);
    top->addWidget(explanation, 1);
    top->addWidget(m_reset);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table);
    layout->addWidget(m_message);

    connect(m_reset, &QPushButton::clicked, this, &HealthPage::resetSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HealthPage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &HealthPage::updateButtons);
    m_poll->setInterval(3000);
    connect(m_poll, &QTimer::timeout, this, &HealthPage::reload);
    updateButtons();
}

void HealthPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reload();
    m_poll->start();
}

void HealthPage::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_poll->stop();
}

void HealthPage::reload()
{
    m_client.get(QStringLiteral("/api/health"), {}, this, [this](const ApiResult& result) {
        if (!result.ok()) {
            PageParts::showMessage(m_message, result.errorText(), true);
            return;
        }
        PageParts::clearError(m_message);
        m_model->setRows(result.object().value(QLatin1String("keys")).toArray());
    });
}

void HealthPage::setMayManage(bool may)
{
    m_mayManage = may;
    m_reset->setVisible(may);
    updateButtons();
}

void HealthPage::updateButtons()
{
    m_reset->setEnabled(m_mayManage && !PageParts::selectedRow(m_table, *m_model).isEmpty());
}

void HealthPage::resetSelected()
{
    const QJsonObject key = PageParts::selectedRow(m_table, *m_model);
    m_client.post(QStringLiteral("/api/health/%1/reset").arg(key.value(QLatin1String("id")).toInteger()), {}, this,
                  [this, key](const ApiResult& result) {
                      PageParts::showMessage(
                          m_message,
                          result.ok() ? tr("%1 is back in the pool.").arg(key.value(QLatin1String("name")).toString())
                                      : result.errorText(),
                          !result.ok());
                      reload();
                  });
}
