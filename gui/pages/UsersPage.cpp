#include "pages/UsersPage.h"

#include "client/AdminClient.h"
#include "models/JsonTableModel.h"
#include "pages/PageParts.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace {

QString when(const QJsonValue& iso)
{
    if (iso.isNull() || iso.toString().isEmpty())
        return QObject::tr("—");
    return QLocale().toString(QDateTime::fromString(iso.toString(), Qt::ISODateWithMs).toLocalTime(),
                              QLocale::ShortFormat);
}

// The roles a user can have, for a combo box (GET /api/roles).
void loadRoles(AdminClient& client, QComboBox* box, const QString& current = {})
{
    client.get(QStringLiteral("/api/roles"), {}, box, [box, current](const ApiResult& result) {
        for (const QJsonValue& role : result.object().value(QLatin1String("items")).toArray())
            box->addItem(role[QLatin1String("name")].toString());
        box->setCurrentIndex(std::max(0, box->findText(current.isEmpty() ? QStringLiteral("user") : current)));
    });
}

} // namespace

UsersPage::UsersPage(AdminClient& client, QWidget* parent)
    : QWidget(parent), m_client(client), m_add(new QPushButton(tr("Add user…"))),
      m_role(new QPushButton(tr("Change role…"))), m_toggle(new QPushButton(tr("Disable"))),
      m_password(new QPushButton(tr("Set password…"))), m_remove(new QPushButton(tr("Delete"))), m_message(new QLabel)
{
    m_model = new JsonTableModel(
        {{tr("User name"), [](const QJsonObject& user) { return user.value(QLatin1String("username")).toString(); }},
         {tr("Display name"),
          [](const QJsonObject& user) { return user.value(QLatin1String("displayName")).toString(); }},
         {tr("Role"), [](const QJsonObject& user) { return user.value(QLatin1String("role")).toString(); }},
         {tr("Enabled"),
          [](const QJsonObject& user) { return user.value(QLatin1String("enabled")).toBool() ? tr("Yes") : tr("No"); }},
         {tr("Locked until"), [](const QJsonObject& user) { return when(user.value(QLatin1String("lockedUntil"))); }},
         {tr("Last sign-in"), [](const QJsonObject& user) { return when(user.value(QLatin1String("lastLoginAt"))); }}},
        this);
    m_table = PageParts::listTable(m_model, QStringLiteral("usersTable"), tr("Users"));
    m_add->setObjectName(QStringLiteral("addUser"));
    m_role->setObjectName(QStringLiteral("changeRole"));
    m_password->setObjectName(QStringLiteral("setPassword"));
    m_message->setObjectName(QStringLiteral("usersMessage"));
    m_message->setWordWrap(true);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* button : {m_add, m_role, m_toggle, m_password, m_remove})
        buttons->addWidget(button);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table);
    layout->addWidget(m_message);

    connect(m_add, &QPushButton::clicked, this, &UsersPage::add);
    connect(m_role, &QPushButton::clicked, this, &UsersPage::changeRole);
    connect(m_toggle, &QPushButton::clicked, this, &UsersPage::toggleEnabled);
    connect(m_password, &QPushButton::clicked, this, &UsersPage::resetPassword);
    connect(m_remove, &QPushButton::clicked, this, &UsersPage::removeSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &UsersPage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &UsersPage::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &UsersPage::updateButtons);
    updateButtons();
}

void UsersPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    reload();
}

void UsersPage::reload()
{
    m_client.get(QStringLiteral("/api/users"), QUrlQuery{{QStringLiteral("pageSize"), QStringLiteral("500")}}, this,
                 [this](const ApiResult& result) {
                     if (!result.ok()) {
                         showMessage(result.errorText(), true);
                         return;
                     }
                     m_model->setRows(result.object().value(QLatin1String("items")).toArray());
                 });
}

void UsersPage::setMayManage(bool may)
{
    m_mayManage = may;
    m_add->setVisible(may);
    for (QPushButton* button : {m_role, m_toggle, m_password, m_remove})
        button->setVisible(may);
    updateButtons();
}

QJsonObject UsersPage::selected() const
{
    return PageParts::selectedRow(m_table, *m_model);
}

void UsersPage::updateButtons()
{
    const QJsonObject user = selected();
    for (QPushButton* button : {m_role, m_toggle, m_password, m_remove})
        button->setEnabled(m_mayManage && !user.isEmpty());
    m_toggle->setText(user.value(QLatin1String("enabled")).toBool(true) ? tr("Disable") : tr("Enable"));
}

void UsersPage::showMessage(const QString& text, bool error)
{
    PageParts::showMessage(m_message, text, error);
}

void UsersPage::add()
{
    auto* dialog = new QDialog(this);
    dialog->setWindowTitle(tr("Add user"));
    dialog->setObjectName(QStringLiteral("userDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setMinimumWidth(420);
    auto* username = new QLineEdit;
    username->setObjectName(QStringLiteral("username"));
    auto* displayName = new QLineEdit;
    auto* password = new QLineEdit;
    password->setObjectName(QStringLiteral("password"));
    password->setEchoMode(QLineEdit::Password);
    auto* role = new QComboBox;
    role->setObjectName(QStringLiteral("role"));
    loadRoles(m_client, role);
    QLabel* error = PageParts::errorLabel();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Add"));
    auto* form = new QFormLayout(dialog);
    form->addRow(tr("User name:"), username);
    form->addRow(tr("Display name:"), displayName);
    form->addRow(tr("Password:"), password);
    form->addRow(tr("Role:"), role);
    form->addRow(error);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, dialog, [=, this] {
        const QJsonObject body{{QStringLiteral("username"), username->text().trimmed()},
                               {QStringLiteral("displayName"), displayName->text().trimmed()},
                               {QStringLiteral("password"), password->text()},
                               {QStringLiteral("role"), role->currentText()}};
        m_client.post(QStringLiteral("/api/users"), body, dialog, [=, this](const ApiResult& result) {
            if (!result.ok()) {
                error->setText(result.errorText());
                return;
            }
            showMessage(tr("Added %1.").arg(result.object().value(QLatin1String("username")).toString()));
            reload();
            dialog->accept();
        });
    });
    dialog->open();
}

void UsersPage::patchSelected(const QJsonObject& change)
{
    const QJsonObject user = selected();
    m_client.patch(QStringLiteral("/api/users/%1").arg(user.value(QLatin1String("id")).toInteger()), change, this,
                   [this](const ApiResult& result) {
                       if (!result.ok())
                           showMessage(result.errorText(), true);
                       else
                           showMessage({});
                       reload();
                   });
}

void UsersPage::changeRole()
{
    const QJsonObject user = selected();
    auto* dialog = new QDialog(this);
    dialog->setWindowTitle(tr("Change role"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto* role = new QComboBox;
    role->setObjectName(QStringLiteral("role"));
    loadRoles(m_client, role, user.value(QLatin1String("role")).toString());
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    auto* form = new QFormLayout(dialog);
    form->addRow(tr("Role of %1:").arg(user.value(QLatin1String("username")).toString()), role);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, dialog, [this, dialog, role] {
        patchSelected({{QStringLiteral("role"), role->currentText()}});
        dialog->accept();
    });
    dialog->open();
}

void UsersPage::toggleEnabled()
{
    patchSelected({{QStringLiteral("enabled"), !selected().value(QLatin1String("enabled")).toBool()}});
}

void UsersPage::resetPassword()
{
    const QJsonObject user = selected();
    auto* input = new QInputDialog(this);
    input->setAttribute(Qt::WA_DeleteOnClose);
    input->setWindowTitle(tr("Set password"));
    input->setLabelText(tr("New password for %1:").arg(user.value(QLatin1String("username")).toString()));
    input->setTextEchoMode(QLineEdit::Password);
    connect(input, &QInputDialog::textValueSelected, this, [this, user](const QString& password) {
        m_client.post(QStringLiteral("/api/users/%1/password").arg(user.value(QLatin1String("id")).toInteger()),
                      {{QStringLiteral("password"), password}}, this, [this, user](const ApiResult& result) {
                          showMessage(result.ok() ? tr("%1 has a new password; their sessions have ended.")
                                                        .arg(user.value(QLatin1String("username")).toString())
                                                  : result.errorText(),
                                      !result.ok());
                      });
    });
    input->open();
}

void UsersPage::removeSelected()
{
    const QJsonObject user = selected();
    PageParts::confirm(this, tr("Delete user"),
                       tr("Delete %1? Their sessions end and their gateway keys stop working at once.")
                           .arg(user.value(QLatin1String("username")).toString()),
                       tr("Delete"), [this, user] {
                           m_client.remove(
                               QStringLiteral("/api/users/%1").arg(user.value(QLatin1String("id")).toInteger()), this,
                               [this](const ApiResult& result) {
                                   if (!result.ok())
                                       showMessage(result.errorText(), true);
                                   reload();
                               });
                       });
}
