#pragma once

#include <QWidget>

class AdminClient;
class JsonTableModel;
class QLabel;
class QListWidget;
class QTableView;

// The roles and what each allows, as the server has them (read-only: roles are defined by the server). Choosing a
// role lists its permissions in words.
class RolesPage : public QWidget
{
    Q_OBJECT

public:
    explicit RolesPage(AdminClient& client, QWidget* parent = nullptr);

    void reload();
    JsonTableModel& model() { return *m_model; }
    QListWidget& permissions() { return *m_permissions; }

    // What a permission string allows, in a sentence.
    static QString describe(const QString& permission);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void showPermissions();

    AdminClient& m_client;
    JsonTableModel* m_model;
    QTableView* m_table;
    QListWidget* m_permissions;
    QLabel* m_message;
};
