#include "pages/PricingPage.h"

#include "client/AdminClient.h"
#include "models/JsonTableModel.h"
#include "pages/PageParts.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace {

// The four prices, as the API names them.
const char* const kPriceFields[] = {"inputMicrosPerMTok", "outputMicrosPerMTok", "cacheReadMicrosPerMTok",
                                    "cacheWriteMicrosPerMTok"};

} // namespace

QString PricingPage::dollars(qint64 microsPerMTok)
{
    // Cents at least, and as many more digits as the price has (0.075), up to the micro-dollar.
    int decimals = 2;
    for (qint64 unit = 10'000; decimals < 6 && microsPerMTok % unit != 0; unit /= 10) // 10,000 micro-dollars: a cent
        ++decimals;
    return QLocale().toCurrencyString(double(microsPerMTok) / 1e6, QStringLiteral("$"), decimals);
}

PricingPage::PricingPage(AdminClient& client, QWidget* parent)
    : QWidget(parent), m_client(client), m_search(new QLineEdit), m_add(new QPushButton(tr("Add price…"))),
      m_edit(new QPushButton(tr("Edit…"))), m_remove(new QPushButton(tr("Delete"))), m_message(new QLabel)
{
    const auto price = [](const char* field) {
        return [field](const QJsonObject& row) { return dollars(row.value(QLatin1String(field)).toInteger()); };
    };
    m_model = new JsonTableModel(
        {{tr("Provider"), [](const QJsonObject& row) { return row.value(QLatin1String("providerType")).toString(); }},
         {tr("Model"),
          [](const QJsonObject& row) {
              const QString pattern = row.value(QLatin1String("modelPattern")).toString();
              return row.value(QLatin1String("example")).toBool() ? tr("%1 (example price)").arg(pattern) : pattern;
          }},
         {tr("Input"), price(kPriceFields[0])},
         {tr("Output"), price(kPriceFields[1])},
         {tr("Cache read"), price(kPriceFields[2])},
         {tr("Cache write"), price(kPriceFields[3])}},
        this);
    m_table = PageParts::listTable(m_model, QStringLiteral("pricingTable"), tr("Prices"));
    m_search->setObjectName(QStringLiteral("pricingSearch"));
    m_search->setPlaceholderText(tr("Search models"));
    m_search->setAccessibleName(tr("Search models"));
    m_search->setClearButtonEnabled(true);
    m_add->setObjectName(QStringLiteral("addPrice"));
    m_edit->setObjectName(QStringLiteral("editPrice"));
    m_remove->setObjectName(QStringLiteral("removePrice"));
    m_message->setObjectName(QStringLiteral("pricingMessage"));
    m_message->setWordWrap(true);
    auto* top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    for (QPushButton* button : {m_add, m_edit, m_remove})
        top->addWidget(button);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(new QLabel(tr("Dollars per million tokens. A pattern ending in * prices every model that "
                                    "starts so; the longest match wins.")));
    layout->addWidget(m_table);
    layout->addWidget(m_message);

    connect(m_search, &QLineEdit::textChanged, this, &PricingPage::reload);
    connect(m_add, &QPushButton::clicked, this, [this] { edit({}); });
    connect(m_edit, &QPushButton::clicked, this, [this] { edit(PageParts::selectedRow(m_table, *m_model)); });
    connect(m_table, &QTableView::activated, this, [this] {
        if (m_mayManage)
            edit(PageParts::selectedRow(m_table, *m_model));
    });
    connect(m_remove, &QPushButton::clicked, this, &PricingPage::removeSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &PricingPage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &PricingPage::updateButtons);
    updateButtons();
}

void PricingPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reload();
}

void PricingPage::reload()
{
    QUrlQuery query{{QStringLiteral("pageSize"), QStringLiteral("500")},
                    {QStringLiteral("sort"), QStringLiteral("modelPattern")}};
    if (!m_search->text().trimmed().isEmpty())
        query.addQueryItem(QStringLiteral("search"), m_search->text().trimmed());
    m_client.get(QStringLiteral("/api/pricing"), query, this, [this, search = ++m_searches](const ApiResult& result) {
        if (search != m_searches)
            return; // the answer to an earlier search (one a keystroke)
        if (!result.ok()) {
            PageParts::showMessage(m_message, result.errorText(), true);
            return;
        }
        PageParts::clearError(m_message);
        m_model->setRows(result.object().value(QLatin1String("items")).toArray());
    });
}

void PricingPage::setMayManage(bool may)
{
    m_mayManage = may;
    for (QPushButton* button : {m_add, m_edit, m_remove})
        button->setVisible(may);
    updateButtons();
}

void PricingPage::updateButtons()
{
    const bool selected = !PageParts::selectedRow(m_table, *m_model).isEmpty();
    m_edit->setEnabled(m_mayManage && selected);
    m_remove->setEnabled(m_mayManage && selected);
}

void PricingPage::edit(const QJsonObject& price)
{
    const bool adding = price.isEmpty();
    auto* dialog = new QDialog(this);
    dialog->setWindowTitle(adding ? tr("Add price") : tr("Edit price"));
    dialog->setObjectName(QStringLiteral("priceDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setMinimumWidth(440);
    auto* form = new QFormLayout(dialog);
    auto* provider = new QComboBox;
    provider->setObjectName(QStringLiteral("providerType"));
    if (adding)
        PageParts::loadProviderTypes(m_client, provider, [](const QString&) {});
    else
        provider->addItem(price.value(QLatin1String("providerType")).toString());
    provider->setEnabled(adding); // a price stays with its provider type
    form->addRow(tr("Provider:"), provider);
    auto* pattern = new QLineEdit(price.value(QLatin1String("modelPattern")).toString());
    pattern->setObjectName(QStringLiteral("modelPattern"));
    pattern->setPlaceholderText(tr("gpt-4o-mini, or claude-3-5-* for a family"));
    form->addRow(tr("Model:"), pattern);
    const QStringList labels{tr("Input:"), tr("Output:"), tr("Cache read:"), tr("Cache write:")};
    QList<QDoubleSpinBox*> amounts;
    for (int i = 0; i < 4; ++i) {
        auto* amount = new QDoubleSpinBox;
        amount->setObjectName(QLatin1String(kPriceFields[i]));
        amount->setDecimals(6);
        amount->setRange(0, 1'000'000);
        amount->setPrefix(QStringLiteral("$ "));
        amount->setSuffix(tr(" per million tokens"));
        amount->setValue(double(price.value(QLatin1String(kPriceFields[i])).toInteger()) / 1e6);
        form->addRow(labels[i], amount);
        amounts << amount;
    }
    QLabel* error = PageParts::errorLabel();
    form->addRow(error);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(adding ? tr("Add") : tr("Save"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, dialog, [=, this] {
        QJsonObject body{{QStringLiteral("modelPattern"), pattern->text().trimmed()}};
        for (int i = 0; i < 4; ++i)
            body.insert(QLatin1String(kPriceFields[i]), qRound64(amounts[i]->value() * 1e6));
        const auto done = [=, this](const ApiResult& result) {
            if (!result.ok()) {
                error->setText(result.errorText());
                return;
            }
            PageParts::showMessage(m_message, tr("Saved the price of %1.").arg(pattern->text().trimmed()));
            reload();
            dialog->accept();
        };
        if (adding) {
            body.insert(QStringLiteral("providerTypeId"), provider->currentData().toList().value(0).toLongLong());
            m_client.post(QStringLiteral("/api/pricing"), body, dialog, done);
        } else {
            m_client.patch(QStringLiteral("/api/pricing/%1").arg(price.value(QLatin1String("id")).toInteger()), body,
                           dialog, done);
        }
    });
    dialog->open();
}

void PricingPage::removeSelected()
{
    const QJsonObject price = PageParts::selectedRow(m_table, *m_model);
    PageParts::confirm(this, tr("Delete price"),
                       tr("Delete the price of %1? Requests it priced are recorded without a cost from now on, unless "
                          "another price matches them.")
                           .arg(price.value(QLatin1String("modelPattern")).toString()),
                       tr("Delete"), [this, price] {
                           m_client.remove(
                               QStringLiteral("/api/pricing/%1").arg(price.value(QLatin1String("id")).toInteger()),
                               this, [this](const ApiResult& result) {
                                   if (!result.ok())
                                       PageParts::showMessage(m_message, result.errorText(), true);
                                   reload();
                               });
                       });
}
