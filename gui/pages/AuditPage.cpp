#include "pages/AuditPage.h"

#include "client/AdminClient.h"
#include "models/JsonTableModel.h"
#include "pages/PageParts.h"

#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace {

constexpr int kPageSize = 200;

} // namespace

AuditPage::AuditPage(AdminClient& client, QWidget* parent)
    : QWidget(parent), m_client(client), m_action(new QComboBox), m_actor(new QComboBox), m_period(new QComboBox),
      m_more(new QPushButton(tr("Older entries"))), m_count(new QLabel), m_detail(new QPlainTextEdit)
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
    m_action->setAccessibleName(tr("Kind of action"));
    m_actor->setObjectName(QStringLiteral("auditActor"));
    m_actor->setAccessibleName(tr("Who"));
    m_actor->addItem(tr("Anyone"), 0);
    m_period->setObjectName(QStringLiteral("auditPeriod"));
    m_period->setAccessibleName(tr("Period"));
    for (const auto& [label, hours] :
         {std::pair{tr("Any time"), 0}, std::pair{tr("Last hour"), 1}, std::pair{tr("Last 24 hours"), 24},
          std::pair{tr("Last 7 days"), 24 * 7}, std::pair{tr("Last 30 days"), 24 * 30}})
        m_period->addItem(label, hours);
    QTableView* table = PageParts::listTable(m_model, QStringLiteral("auditTable"), tr("Audit log entries"));
    m_detail->setObjectName(QStringLiteral("auditDetail"));
    m_detail->setAccessibleName(tr("The entry in full"));
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select an entry to see it in full."));
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(table);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto* top = new QHBoxLayout;
    top->addWidget(m_action);
    top->addWidget(m_actor);
    top->addWidget(m_period);
    top->addStretch();
    top->addWidget(m_count);
    top->addWidget(m_more);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split);
    for (QComboBox* filter : {m_action, m_actor, m_period})
        connect(filter, &QComboBox::currentIndexChanged, this, &AuditPage::reload);
    connect(table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this, table] {
        const QJsonObject entry = PageParts::selectedRow(table, *m_model);
        m_detail->setPlainText(entry.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(entry).toJson()));
    });
    connect(m_more, &QPushButton::clicked, this, [this] { load(m_page + 1); });
}

void AuditPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reload();
}

// The filters as chosen now, the period fixed at this moment so that the older pages continue the same list.
void AuditPage::reload()
{
    m_rows = {};
    m_filters = {};
    if (const QString action = m_action->currentData().toString(); !action.isEmpty())
        m_filters.addQueryItem(QStringLiteral("action"), action);
    if (const qint64 actor = m_actor->currentData().toLongLong(); actor > 0)
        m_filters.addQueryItem(QStringLiteral("actorId"), QString::number(actor));
    if (const int hours = m_period->currentData().toInt(); hours > 0)
        m_filters.addQueryItem(QStringLiteral("from"),
                               QDateTime::currentDateTimeUtc().addSecs(-3600LL * hours).toString(Qt::ISODateWithMs));
    ++m_listing;
    load(1);
    loadActors();
}

// Who can be chosen: the users (for those who may see them; others filter by kind and period only).
void AuditPage::loadActors()
{
    m_client.get(QStringLiteral("/api/users"), QUrlQuery{{QStringLiteral("pageSize"), QStringLiteral("500")}}, this,
                 [this](const ApiResult& result) {
                     const qint64 chosen = m_actor->currentData().toLongLong();
                     const QSignalBlocker quiet(m_actor);
                     while (m_actor->count() > 1)
                         m_actor->removeItem(1);
                     for (const QJsonValue& user : result.object().value(QLatin1String("items")).toArray())
                         m_actor->addItem(user[QLatin1String("username")].toString(),
                                          user[QLatin1String("id")].toInteger());
                     m_actor->setCurrentIndex(std::max(0, m_actor->findData(chosen)));
                     m_actor->setVisible(m_actor->count() > 1);
                 });
}

void AuditPage::load(int page)
{
    QUrlQuery query = m_filters;
    query.addQueryItem(QStringLiteral("page"), QString::number(page));
    query.addQueryItem(QStringLiteral("pageSize"), QString::number(kPageSize));
    m_client.get(QStringLiteral("/api/audit"), query, this, [this, page, listing = m_listing](const ApiResult& result) {
        if (listing != m_listing)
            return; // the answer for filters chosen before
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
