#include "pages/RolesPage.h"

#include "auth/Permissions.h"
#include "client/AdminClient.h"
#include "models/JsonTableModel.h"
#include "pages/PageParts.h"

#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QListWidget>
#include <QTableView>
#include <QVBoxLayout>

QString RolesPage::describe(const QString& permission)
{
    using namespace Permissions;
    const QHash<QString, QString> sentences{{kSuperAdmin, tr("Everything, including other super admins")},
                                            {kProxyAll, tr("Call every provider through the gateway")},
                                            {kUsersView, tr("See the users")},
                                            {kUsersManage, tr("Add, change and remove users")},
                                            {kProviderKeysView, tr("See the provider keys (never their secrets)")},
                                            {kProviderKeysManage, tr("Add, change, test and remove provider keys")},
                                            {kGatewayKeysOwn, tr("Create and manage their own gateway keys")},
                                            {kGatewayKeysView, tr("See everyone's gateway keys")},
                                            {kGatewayKeysManage, tr("Manage everyone's gateway keys")},
                                            {kStatsOwn, tr("See the statistics of their own keys")},
                                            {kStatsView, tr("See all statistics")},
                                            {kStatsManage, tr("Reserved: allows nothing more yet")},
                                            {kLogsOwn, tr("See the request log of their own keys")},
                                            {kLogsView, tr("See the whole request log and the audit log")},
                                            {kLogsManage, tr("Reserved: allows nothing more yet")},
                                            {kHealthView, tr("See the health of the provider keys")},
                                            {kProvidersManage, tr("Change the provider types and the prices")},
                                            {kServerManage, tr("See the server's settings")}};
    if (sentences.contains(permission))
        return sentences.value(permission);
    if (permission.startsWith(QLatin1String("proxy:")))
        return tr("Call the provider type %1 through the gateway").arg(permission.mid(6));
    return permission;
}

RolesPage::RolesPage(AdminClient& client, QWidget* parent)
    : QWidget(parent), m_client(client), m_permissions(new QListWidget), m_message(new QLabel)
{
    m_model = new JsonTableModel(
        {{tr("Role"), [](const QJsonObject& role) { return role.value(QLatin1String("name")).toString(); }},
         {tr("Built in"),
          [](const QJsonObject& role) { return role.value(QLatin1String("builtin")).toBool() ? tr("Yes") : tr("No"); }},
         {tr("Description"),
          [](const QJsonObject& role) { return role.value(QLatin1String("description")).toString(); }}},
        this);
    m_table = PageParts::listTable(m_model, QStringLiteral("rolesTable"), tr("Roles"));
    m_permissions->setObjectName(QStringLiteral("rolePermissions"));
    m_permissions->setAccessibleName(tr("Permissions of the role"));
    m_message->setObjectName(QStringLiteral("rolesMessage"));
    m_message->setWordWrap(true);
    auto* lists = new QHBoxLayout;
    lists->addWidget(m_table, 3);
    auto* right = new QVBoxLayout;
    right->addWidget(new QLabel(tr("It may:")));
    right->addWidget(m_permissions);
    lists->addLayout(right, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Roles are defined by the server; a user has one. Choose a role to see what it "
                                    "allows.")));
    layout->addLayout(lists);
    layout->addWidget(m_message);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RolesPage::showPermissions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RolesPage::showPermissions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &RolesPage::showPermissions);
}

void RolesPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reload();
}

void RolesPage::reload()
{
    m_client.get(QStringLiteral("/api/roles"), {}, this, [this](const ApiResult& result) {
        if (!result.ok()) {
            PageParts::showMessage(m_message, result.errorText(), true);
            return;
        }
        PageParts::clearError(m_message);
        m_model->setRows(result.object().value(QLatin1String("items")).toArray());
        if (!m_table->selectionModel()->hasSelection() && m_model->rowCount() > 0)
            m_table->selectRow(0);
    });
}

void RolesPage::showPermissions()
{
    m_permissions->clear();
    const QJsonObject role = PageParts::selectedRow(m_table, *m_model);
    for (const QJsonValue& permission : role.value(QLatin1String("permissions")).toArray()) {
        auto* item = new QListWidgetItem(describe(permission.toString()));
        item->setToolTip(permission.toString());
        m_permissions->addItem(item);
    }
}
