#pragma once

#include <QJsonObject>
#include <QWidget>

class AdminClient;
class JsonTableModel;
class QLabel;
class QPushButton;
class QTableView;

// The provider types: what each speaks and where it is reached. Editing one (base URL, authentication, probe,
// active) shows the server's objections at the fields they concern.
class ProviderTypesPage : public QWidget
{
    Q_OBJECT

public:
    explicit ProviderTypesPage(AdminClient& client, QWidget* parent = nullptr);

    void reload();
    JsonTableModel& model() { return *m_model; }
    void setMayManage(bool may);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void editSelected();
    QJsonObject selected() const;

    AdminClient& m_client;
    JsonTableModel* m_model;
    QTableView* m_table;
    QPushButton* m_edit;
    QLabel* m_message;
    bool m_mayManage = true;
};
