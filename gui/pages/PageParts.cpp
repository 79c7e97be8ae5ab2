#include "pages/PageParts.h"

#include "client/AdminClient.h"
#include "models/JsonTableModel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>

namespace PageParts {

QLabel* errorLabel()
{
    auto* label = new QLabel;
    label->setObjectName(QStringLiteral("dialogError"));
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #b00020"));
    return label;
}

void showMessage(QLabel* line, const QString& text, bool error)
{
    line->setText(text);
    line->setStyleSheet(error ? QStringLiteral("color: #b00020") : QString());
}

void clearError(QLabel* line)
{
    if (!line->styleSheet().isEmpty())
        showMessage(line, {});
}

QTableView* listTable(QAbstractItemModel* model, const QString& name, const QString& spokenName)
{
    auto* table = new QTableView;
    table->setObjectName(name);
    table->setAccessibleName(spokenName);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->verticalHeader()->hide();
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->setTabKeyNavigation(false); // arrows move within the list; Tab leaves it, as everywhere else
    return table;
}

QJsonObject selectedRow(const QTableView* table, const JsonTableModel& model)
{
    const QModelIndexList rows = table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QJsonObject() : model.row(rows.first().row());
}

void confirm(QWidget* parent, const QString& title, const QString& text, const QString& action,
             std::function<void()> confirmed)
{
    auto* box = new QMessageBox(QMessageBox::Question, title, text, QMessageBox::Cancel, parent);
    QPushButton* yes = box->addButton(action, QMessageBox::DestructiveRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::buttonClicked, box,
                     [yes, confirmed = std::move(confirmed)](QAbstractButton* button) {
                         if (button == yes)
                             confirmed();
                     });
    box->open();
}

void loadProviderTypes(AdminClient& client, QComboBox* box, std::function<void(const QString&)> done)
{
    client.get(QStringLiteral("/api/provider-types"), QUrlQuery{{QStringLiteral("active"), QStringLiteral("true")}},
               box, [box, done = std::move(done)](const ApiResult& result) {
                   if (!result.ok()) {
                       done(result.errorText());
                       return;
                   }
                   for (const QJsonValue& type : result.object().value(QLatin1String("items")).toArray())
                       box->addItem(type[QLatin1String("displayName")].toString(),
                                    QVariantList{type[QLatin1String("id")].toInteger(),
                                                 type[QLatin1String("apiFormat")].toString()});
                   done({});
               });
}

} // namespace PageParts
