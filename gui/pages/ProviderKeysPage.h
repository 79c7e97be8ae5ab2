#pragma once

#include <QJsonObject>
#include <QWidget>

class AdminClient;
class JsonTableModel;
class QLabel;
class QPushButton;
class QTableView;
class QTimer;

// The provider keys: their health as the proxy sees it now, and adding (an API key, or an account connected with
// OAuth), testing, enabling, resetting and deleting them. Health refreshes every few seconds while the page is shown.
class ProviderKeysPage : public QWidget
{
    Q_OBJECT

public:
    explicit ProviderKeysPage(AdminClient& client, QWidget* parent = nullptr);

    void reload();
    JsonTableModel& model() { return *m_model; }
    // Without provider_keys:manage the page only lists.
    void setMayManage(bool may);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void add();
    void connectAccount();
    void editSelected();
    void test();
    void toggleActive();
    void resetHealth();
    void removeSelected();
    void waitForProbe(qint64 id, const QString& after, int attemptsLeft);
    QJsonObject selected() const;
    void updateButtons();
    void showMessage(const QString& text, bool error = false);

    AdminClient& m_client;
    JsonTableModel* m_model;
    QHash<qint64, QJsonObject> m_health; // live health by key id, from /api/health
    QTableView* m_table;
    QPushButton* m_add;
    QPushButton* m_connect;
    QPushButton* m_edit;
    QPushButton* m_test;
    QPushButton* m_toggle;
    QPushButton* m_reset;
    QPushButton* m_remove;
    QLabel* m_message;
    QTimer* m_poll;
    bool m_mayManage = true;
};
