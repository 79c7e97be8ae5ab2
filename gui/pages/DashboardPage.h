#pragma once

#include <QJsonObject>
#include <QWidget>

class AdminClient;
class QChart;
class QComboBox;
class QLabel;
class QListWidget;
class QTimer;

// The gateway at a glance over a chosen period: requests, success rate, tokens, cost, latency, requests over time
// and the models' share (Qt Charts), the rate of the last minute, and the latest errors. Refreshes while shown.
class DashboardPage : public QWidget
{
    Q_OBJECT

public:
    explicit DashboardPage(AdminClient& client, QWidget* parent = nullptr);

    void reload();
    QJsonObject overview() const { return m_overview; }

signals:
    void loaded();

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    QLabel* figure(const QString& title, const QString& name);
    void showOverview(const QJsonObject& overview);
    void showTrend(const QJsonArray& buckets);
    void showModels(const QJsonArray& models);

    AdminClient& m_client;
    QComboBox* m_period;
    QHash<QString, QLabel*> m_figures;
    QChart* m_trend;
    QChart* m_models;
    QListWidget* m_errors;
    QTimer* m_refresh;
    QJsonObject m_overview;
};
