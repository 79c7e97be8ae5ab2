#pragma once

#include <QWidget>

class AdminClient;
class JsonTableModel;
class QLabel;
class QPushButton;
class QTableView;
class QTimer;

// Every provider key's health as the proxy sees it, refreshed every few seconds while shown: status, requests in
// flight, latency, error rate, the last error and the last probe. Those who manage provider keys can reset one.
class HealthPage : public QWidget
{
    Q_OBJECT

public:
    explicit HealthPage(AdminClient& client, QWidget* parent = nullptr);

    void reload();
    JsonTableModel& model() { return *m_model; }
    void setMayManage(bool may);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void resetSelected();
    void updateButtons();

    AdminClient& m_client;
    JsonTableModel* m_model;
    QTableView* m_table;
    QPushButton* m_reset;
    QLabel* m_message;
    QTimer* m_poll;
    bool m_mayManage = true;
};
