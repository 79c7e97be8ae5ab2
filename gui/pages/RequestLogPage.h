#pragma once

#include <QUrlQuery>
#include <QWidget>

class AdminClient;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;
class QTimer;
class TraceModel;

// Every proxied request, newest first, filtered by period, model and errors; one request's detail; the filtered set
// exported as CSV. New requests appear while the page is shown.
class RequestLogPage : public QWidget
{
    Q_OBJECT

public:
    explicit RequestLogPage(AdminClient& client, QWidget* parent = nullptr);

    TraceModel& model() { return *m_model; }
    void reload();
    QUrlQuery filter() const;
    void exportCsv(const QString& file);

signals:
    void exported(const QString& file, int rows);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void applyFilter();
    void loadKeys();
    void showDetail();
    void exportPage(const QString& file, const QString& cursor, int written);
    void updateCount();

    AdminClient& m_client;
    TraceModel* m_model;
    QComboBox* m_period;
    QComboBox* m_key;
    QComboBox* m_status;
    QLineEdit* m_modelFilter;
    QCheckBox* m_errorsOnly;
    QTableView* m_table;
    QPlainTextEdit* m_detail;
    QLabel* m_count;
    QTimer* m_live;
};
