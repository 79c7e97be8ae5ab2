#pragma once

#include <QJsonObject>
#include <QWidget>

class AdminClient;
class JsonTableModel;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

// What each model costs, per million tokens of input, output and prompt cache, by provider type: the prices the
// gateway multiplies usage by to record each request's cost. Those who manage providers add, change and remove
// them; others read them.
class PricingPage : public QWidget
{
    Q_OBJECT

public:
    explicit PricingPage(AdminClient& client, QWidget* parent = nullptr);

    void reload();
    JsonTableModel& model() { return *m_model; }
    void setMayManage(bool may);

    // Dollars per million tokens as the user's locale writes money ("$2.50", "US$0.075").
    static QString dollars(qint64 microsPerMTok);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void edit(const QJsonObject& price); // an empty price: add one
    void removeSelected();
    void updateButtons();

    AdminClient& m_client;
    JsonTableModel* m_model;
    QTableView* m_table;
    QLineEdit* m_search;
    QPushButton* m_add;
    QPushButton* m_edit;
    QPushButton* m_remove;
    QLabel* m_message;
    bool m_mayManage = true;
    int m_searches = 0; // counts the lists asked for: only the latest answer is shown
};
