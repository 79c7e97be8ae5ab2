#pragma once

#include <QJsonArray>
#include <QWidget>

class AdminClient;
class JsonTableModel;
class QComboBox;
class QLabel;
class QPushButton;

// The audit log: who did what to which object, newest first, by kind of action; more pages on request.
class AuditPage : public QWidget
{
    Q_OBJECT

public:
    explicit AuditPage(AdminClient& client, QWidget* parent = nullptr);

    void reload();
    JsonTableModel& model() { return *m_model; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    void load(int page);

    AdminClient& m_client;
    JsonTableModel* m_model;
    QComboBox* m_action;
    QPushButton* m_more;
    QLabel* m_count;
    QJsonArray m_rows; // the pages loaded so far
    int m_page = 0;
};
