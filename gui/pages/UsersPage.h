#pragma once

#include <QJsonObject>
#include <QWidget>

class AdminClient;
class JsonTableModel;
class QLabel;
class QPushButton;
class QTableView;

// The gateway's users: who they are, their role, whether enabled or locked out; adding one, changing the role,
// enabling or disabling, setting a new password, deleting. The server's rules (only a super_admin touches a
// super_admin, nobody disables themselves, the last super_admin stays) answer as messages under the table.
class UsersPage : public QWidget
{
    Q_OBJECT

public:
    explicit UsersPage(AdminClient& client, QWidget* parent = nullptr);

    void reload();
    JsonTableModel& model() { return *m_model; }
    // Without users:manage the page only lists.
    void setMayManage(bool may);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void add();
    void changeRole();
    void toggleEnabled();
    void resetPassword();
    void removeSelected();
    QJsonObject selected() const;
    void updateButtons();
    void showMessage(const QString& text, bool error = false);
    void patchSelected(const QJsonObject& change);

    AdminClient& m_client;
    JsonTableModel* m_model;
    QTableView* m_table;
    QPushButton* m_add;
    QPushButton* m_role;
    QPushButton* m_toggle;
    QPushButton* m_password;
    QPushButton* m_remove;
    QLabel* m_message;
    bool m_mayManage = true;
};
