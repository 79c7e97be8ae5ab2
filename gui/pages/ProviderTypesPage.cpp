#include "pages/ProviderTypesPage.h"

#include "client/AdminClient.h"
#include "models/JsonTableModel.h"
#include "pages/PageParts.h"
#include "pages/ProviderTypeDialog.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

ProviderTypesPage::ProviderTypesPage(AdminClient& client, QWidget* parent)
    : QWidget(parent), m_client(client), m_edit(new QPushButton(tr("Edit…"))), m_message(new QLabel)
{
    m_model = new JsonTableModel(
        {{tr("Name"), [](const QJsonObject& type) { return type.value(QLatin1String("name")).toString(); }},
         {tr("Display name"),
          [](const QJsonObject& type) { return type.value(QLatin1String("displayName")).toString(); }},
         {tr("API format"), [](const QJsonObject& type) { return type.value(QLatin1String("apiFormat")).toString(); }},
         {tr("Base URL"), [](const QJsonObject& type) { return type.value(QLatin1String("baseUrl")).toString(); }},
         {tr("Active"),
          [](const QJsonObject& type) { return type.value(QLatin1String("active")).toBool() ? tr("Yes") : tr("No"); }},
         {tr("Built in"),
          [](const QJsonObject& type) {
              return type.value(QLatin1String("builtin")).toBool() ? tr("Yes") : tr("No");
          }}},
        this);
    m_table = PageParts::listTable(m_model, QStringLiteral("providerTypesTable"), tr("Provider types"));
    m_edit->setObjectName(QStringLiteral("editProviderType"));
    m_message->setWordWrap(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_edit);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table);
    layout->addWidget(m_message);
    connect(m_edit, &QPushButton::clicked, this, &ProviderTypesPage::editSelected);
    connect(m_table, &QTableView::doubleClicked, this, &ProviderTypesPage::editSelected);
}

void ProviderTypesPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reload();
}

void ProviderTypesPage::reload()
{
    m_client.get(QStringLiteral("/api/provider-types"), QUrlQuery{{QStringLiteral("pageSize"), QStringLiteral("500")}},
                 this, [this](const ApiResult& result) {
                     if (!result.ok()) {
                         PageParts::showMessage(m_message, result.errorText(), true);
                         return;
                     }
                     m_model->setRows(result.object().value(QLatin1String("items")).toArray());
                 });
}

void ProviderTypesPage::setMayManage(bool may)
{
    m_mayManage = may;
    m_edit->setVisible(may);
}

QJsonObject ProviderTypesPage::selected() const
{
    return PageParts::selectedRow(m_table, *m_model);
}

void ProviderTypesPage::editSelected()
{
    const QJsonObject type = selected();
    if (type.isEmpty() || !m_mayManage)
        return;
    auto* dialog = new ProviderTypeDialog(m_client, type, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ProviderTypeDialog::saved, this, [this](const QJsonObject& saved) {
        m_message->setText(tr("Saved %1.").arg(saved.value(QLatin1String("name")).toString()));
        reload();
    });
    dialog->open();
}
