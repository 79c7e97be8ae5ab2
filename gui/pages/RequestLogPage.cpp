#include "pages/RequestLogPage.h"

#include "client/AdminClient.h"
#include "models/TraceModel.h"
#include "pages/PageParts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace {

const QStringList kCsvFields{
    QStringLiteral("createdAt"),     QStringLiteral("requestId"),        QStringLiteral("gatewayKeyId"),
    QStringLiteral("providerKeyId"), QStringLiteral("method"),           QStringLiteral("path"),
    QStringLiteral("model"),         QStringLiteral("status"),           QStringLiteral("errorKind"),
    QStringLiteral("promptTokens"),  QStringLiteral("completionTokens"), QStringLiteral("totalTokens"),
    QStringLiteral("costMicros"),    QStringLiteral("durationMs"),       QStringLiteral("ttfbMs")};

QByteArray csvField(const QJsonValue& value)
{
    QString text = value.isDouble() ? QString::number(value.toInteger()) : value.toString();
    // Quoted always; a leading = + - @ would make spreadsheets run it as a formula.
    if (!text.isEmpty() && QStringLiteral("=+-@").contains(text.front()) && !value.isDouble())
        text.prepend(QLatin1Char('\''));
    return '"' + text.replace(QLatin1Char('"'), QLatin1String("\"\"")).toUtf8() + '"';
}

} // namespace

RequestLogPage::RequestLogPage(AdminClient& client, QWidget* parent)
    : QWidget(parent), m_client(client), m_model(new TraceModel(client, this)), m_period(new QComboBox),
      m_key(new QComboBox), m_status(new QComboBox), m_modelFilter(new QLineEdit),
      m_errorsOnly(new QCheckBox(tr("Errors only"))),
      m_table(PageParts::listTable(m_model, QStringLiteral("requestLogTable"), tr("Requests"))),
      m_detail(new QPlainTextEdit), m_count(new QLabel), m_live(new QTimer(this))
{
    m_period->setObjectName(QStringLiteral("period"));
    m_period->addItem(tr("Last hour"), 3600);
    m_period->addItem(tr("Last 24 hours"), 86400);
    m_period->addItem(tr("Last 7 days"), 7 * 86400);
    m_period->addItem(tr("Last 30 days"), 30 * 86400);
    m_period->addItem(tr("Everything"), 0);
    m_period->setCurrentIndex(1);
    m_key->setObjectName(QStringLiteral("keyFilter"));
    m_key->addItem(tr("All keys"), 0);
    m_status->setObjectName(QStringLiteral("statusFilter"));
    m_status->addItem(tr("Any status"), QString());
    m_status->addItem(tr("Succeeded (2xx)"), QStringLiteral("2xx"));
    m_status->addItem(tr("Refused (4xx)"), QStringLiteral("4xx"));
    m_status->addItem(tr("Failed (5xx)"), QStringLiteral("5xx"));
    m_modelFilter->setPlaceholderText(tr("Model"));
    m_modelFilter->setAccessibleName(tr("Model"));
    m_modelFilter->setClearButtonEnabled(true);
    m_errorsOnly->setObjectName(QStringLiteral("errorsOnly"));
    auto* exportButton = new QPushButton(tr("Export CSV…"));
    auto* filters = new QHBoxLayout;
    filters->addWidget(m_period);
    filters->addWidget(m_key);
    filters->addWidget(m_status);
    filters->addWidget(m_modelFilter);
    filters->addWidget(m_errorsOnly);
    filters->addStretch();
    filters->addWidget(m_count);
    filters->addWidget(exportButton);

    // Widths from the font, not from the rows: sizing to contents would measure every row of a long log.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    const QFontMetrics metrics = m_table->fontMetrics();
    const QList<QPair<int, QString>> widths{{TraceModel::Time, QStringLiteral("2026-12-31 23:59:59")},
                                            {TraceModel::Key, QStringLiteral("#00000")},
                                            {TraceModel::Model, QStringLiteral("claude-sonnet-4-5-2025")},
                                            {TraceModel::Status, QStringLiteral("Status")},
                                            {TraceModel::Tokens, QStringLiteral("1,000,000")},
                                            {TraceModel::Cost, QStringLiteral("$00.000000")},
                                            {TraceModel::Latency, QStringLiteral("100000 ms")},
                                            {TraceModel::Ttfb, QStringLiteral("100000 ms")}};
    for (const auto& [column, sample] : widths)
        m_table->setColumnWidth(column, metrics.horizontalAdvance(sample) + 24);
    m_detail->setObjectName(QStringLiteral("requestDetail"));
    m_detail->setAccessibleName(tr("What the request recorded"));
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select a request to see all it recorded."));
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(m_table);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(split);

    connect(m_period, &QComboBox::currentIndexChanged, this, &RequestLogPage::applyFilter);
    connect(m_key, &QComboBox::currentIndexChanged, this, &RequestLogPage::applyFilter);
    connect(m_status, &QComboBox::currentIndexChanged, this, &RequestLogPage::applyFilter);
    connect(m_modelFilter, &QLineEdit::editingFinished, this, &RequestLogPage::applyFilter);
    connect(m_errorsOnly, &QCheckBox::toggled, this, &RequestLogPage::applyFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RequestLogPage::showDetail);
    connect(m_model, &TraceModel::loaded, this, &RequestLogPage::updateCount);
    connect(m_model, &TraceModel::failed, m_count, &QLabel::setText);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        auto* dialog =
            new QFileDialog(this, tr("Export requests"), QStringLiteral("requests.csv"), tr("CSV files (*.csv)"));
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QFileDialog::fileSelected, this, &RequestLogPage::exportCsv);
        dialog->open();
    });
    m_live->setInterval(2000);
    connect(m_live, &QTimer::timeout, m_model, &TraceModel::refreshNewest);
}

void RequestLogPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reload();
    m_live->start();
}

void RequestLogPage::reload()
{
    loadKeys();
    applyFilter();
}

void RequestLogPage::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_live->stop();
}

QUrlQuery RequestLogPage::filter() const
{
    QUrlQuery query;
    if (const int seconds = m_period->currentData().toInt(); seconds > 0)
        query.addQueryItem(QStringLiteral("from"),
                           QDateTime::currentDateTimeUtc().addSecs(-seconds).toString(Qt::ISODateWithMs));
    if (const qint64 key = m_key->currentData().toLongLong(); key > 0)
        query.addQueryItem(QStringLiteral("gatewayKeyId"), QString::number(key));
    if (const QString status = m_status->currentData().toString(); !status.isEmpty())
        query.addQueryItem(QStringLiteral("status"), status);
    if (const QString model = m_modelFilter->text().trimmed(); !model.isEmpty())
        query.addQueryItem(QStringLiteral("model"), model);
    if (m_errorsOnly->isChecked())
        query.addQueryItem(QStringLiteral("success"), QStringLiteral("false"));
    return query;
}

// The gateway keys to filter by, keeping the one chosen.
void RequestLogPage::loadKeys()
{
    m_client.get(QStringLiteral("/api/gateway-keys"), QUrlQuery{{QStringLiteral("pageSize"), QStringLiteral("500")}},
                 this, [this](const ApiResult& result) {
                     if (!result.ok())
                         return;
                     const qint64 chosen = m_key->currentData().toLongLong();
                     const QSignalBlocker quiet(m_key);
                     while (m_key->count() > 1)
                         m_key->removeItem(1);
                     for (const QJsonValue& key : result.object().value(QLatin1String("items")).toArray())
                         m_key->addItem(QStringLiteral("%1 (%2…)")
                                            .arg(key[QLatin1String("name")].toString(),
                                                 key[QLatin1String("keyPrefix")].toString()),
                                        key[QLatin1String("id")].toInteger());
                     m_key->setCurrentIndex(std::max(0, m_key->findData(chosen)));
                 });
}

void RequestLogPage::applyFilter()
{
    m_detail->clear();
    m_model->setFilter(filter());
}

void RequestLogPage::updateCount()
{
    m_count->setText(tr("%n request(s)", nullptr, int(m_model->total())));
}

void RequestLogPage::showDetail()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_detail->clear();
        return;
    }
    m_detail->setPlainText(
        QString::fromUtf8(QJsonDocument(m_model->trace(current.row())).toJson(QJsonDocument::Indented)));
}

// The filtered set, a page at a time so the window stays responsive; the count shows the progress.
void RequestLogPage::exportCsv(const QString& file)
{
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_count->setText(tr("Cannot write %1: %2").arg(file, out.errorString()));
        return;
    }
    out.write(kCsvFields.join(QLatin1Char(',')).toUtf8() + "\r\n");
    out.close();
    exportPage(file, {}, 0);
}

void RequestLogPage::exportPage(const QString& file, const QString& cursor, int written)
{
    QUrlQuery query = filter();
    query.addQueryItem(QStringLiteral("pageSize"), QStringLiteral("500"));
    if (!cursor.isEmpty())
        query.addQueryItem(QStringLiteral("before"), cursor);
    m_client.get(QStringLiteral("/api/traces"), query, this, [this, file, written](const ApiResult& result) {
        if (!result.ok()) {
            m_count->setText(tr("Export stopped: %1").arg(result.errorText()));
            return;
        }
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Append)) {
            m_count->setText(tr("Cannot write %1: %2").arg(file, out.errorString()));
            return;
        }
        const QJsonArray items = result.object().value(QLatin1String("items")).toArray();
        for (const QJsonValue& item : items) {
            QByteArrayList fields;
            for (const QString& field : kCsvFields)
                fields << csvField(item.toObject().value(field));
            out.write(fields.join(',') + "\r\n");
        }
        const int done = written + int(items.size());
        const qint64 total = result.object().value(QLatin1String("total")).toInteger();
        const QString next = result.object().value(QLatin1String("nextCursor")).toString();
        if (next.isEmpty()) {
            m_count->setText(tr("Exported %n request(s) to %1", nullptr, done).arg(file));
            emit exported(file, done);
            return;
        }
        m_count->setText(tr("Exporting… %1 of %2").arg(done).arg(total));
        exportPage(file, next, done);
    });
}
