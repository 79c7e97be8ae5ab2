#include "pages/AuditPage.h"

#include "client/AdminClient.h"
#include "models/JsonTableModel.h"
#include "pages/PageParts.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace {

constexpr int kPageSize = 200;

} // namespace

AuditPage::AuditPage(AdminClient& client, QWidget* parent)
    : QWidget(parent), m_client(client), m_action(new QComboBox), m_more(new QPushButton(tr("Older entries"))),
      m_count(new QLabel)
{
    m_model = new JsonTableModel(
        {{tr("Time"),
          [](const QJsonObject& entry) {
              return QLocale().toString(
                  QDateTime::fromString(entry.value(QLatin1String("time")).toString(), Qt::ISODateWithMs).toLocalTime(),
                  QStringLiteral("yyyy-MM-dd HH:mm:ss"));
          }},
         {tr("Who"), [](const QJsonObject& entry) { return entry.value(QLatin1String("actorName")).toString(); }},
         {tr("Action"), [](const QJsonObject& entry) { return entry.value(QLatin1String("action")).toString(); }},
         {tr("Object"),
          [](const QJsonObject& entry) {
              const QString type = entry.value(QLatin1String("objectType")).toString();
              const QString id = entry.value(QLatin1String("objectId")).toString();
              return id.isEmpty() ? type : QStringLiteral("%1 %2").arg(type, id);
          }},
         {tr("From"), [](const QJsonObject& entry) { return entry.value(QLatin1String("clientAddress")).toString(); }},
         {tr("Details"),
          [](const QJsonObject& entry) {
              return QString::fromUtf8(
                  QJsonDocument(entry.value(QLatin1String("details")).toObject()).toJson(QJsonDocument::Compact));
          }}},
        this);
    m_action->setObjectName(QStringLiteral("auditAction"));
    m_action->addItem(tr("Every action"), QString());
    m_action->addItem(tr("Sign-ins"), QStringLiteral("auth.*"));
    m_action->addItem(tr("Users"), QStringLiteral("user.*"));
    m_action->addItem(tr("Provider keys"), QStringLiteral("provider_key.*"));
    m_action->addItem(tr("Gateway keys"), QStringLiteral("gateway_key.*"));
    m_action->addItem(tr("Provider types"), QStringLiteral("provider_type.*"));
    m_action->addItem(tr("Prices"), QStringLiteral("pricing.*"));
    m_action->addItem(tr("Refusals"), QStringLiteral("permission.denied"));
    QTableView* table = PageParts::listTable(m_model, QStringLiteral("auditTable"), tr("Audit log entries"));
    auto* top = new QHBoxLayout;
    top->addWidget(m_action);
    top->addStretch();
    top->addWidget(m_count);
    top->addWidget(m_more);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(table);
    connect(m_action, &QComboBox::currentIndexChanged, this, &AuditPage::reload);
    connect(m_more, &QPushButton::clicked, this, [this] { load(m_page + 1); });
}

void AuditPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reload();
}

void AuditPage::reload()
{
    m_rows = {};
    load(1);
}

void AuditPage::load(int page)
{
    QUrlQuery query{{QStringLiteral("page"), QString::number(page)},
                    {QStringLiteral("pageSize"), QString::number(kPageSize)}};
    if (const QString action = m_action->currentData().toString(); !action.isEmpty())
        query.addQueryItem(QStringLiteral("action"), action);
    m_client.get(QStringLiteral("/api/audit"), query, this, [this, page](const ApiResult& result) {
        if (!result.ok()) {
            m_count->setText(result.errorText());
            return;
        }
        if (page == 1)
            m_rows = {};
        for (const QJsonValue& entry : result.object().value(QLatin1String("items")).toArray())
            m_rows.append(entry);
        m_page = page;
        m_model->setRows(m_rows);
        const qint64 total = result.object().value(QLatin1String("total")).toInteger();
        m_count->setText(tr("%1 of %2").arg(m_rows.size()).arg(total));
        m_more->setEnabled(m_rows.size() < total);
    });
}
