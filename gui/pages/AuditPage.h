#pragma once

#include <QJsonArray>
#include <QUrlQuery>
#include <QWidget>

class AdminClient;
class JsonTableModel;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

// The audit log: who did what to which object, newest first, by kind of action, person and period, the selected
// entry in full below; more pages on request.
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
    void loadActors();

    AdminClient& m_client;
    JsonTableModel* m_model;
    QComboBox* m_action;
    QComboBox* m_actor;
    QComboBox* m_period;
    QPushButton* m_more;
    QLabel* m_count;
    QPlainTextEdit* m_detail;
    QJsonArray m_rows;   // the pages loaded so far
    QUrlQuery m_filters; // of the list shown
    int m_listing = 0;   // counts reloads: a late answer for earlier filters is dropped
    int m_page = 0;
};
