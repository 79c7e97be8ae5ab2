#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QUrlQuery>

class AdminClient;

// The request log: traces newest first, fetched a page at a time by cursor as the view scrolls (fetchMore), so a
// million traces cost what the visible pages cost. refreshNewest() puts traces that arrived since on top.
class TraceModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Key, Model, Status, Tokens, Cost, Latency, Ttfb, ColumnCount };
    static constexpr int kPageSize = 200;

    explicit TraceModel(AdminClient& client, QObject* parent = nullptr);

    // Starts over with these filters (the API's: from, to, gatewayKeyId, model, status, success, ...).
    void setFilter(const QUrlQuery& filter);
    void refreshNewest();
    qint64 total() const { return m_total; }
    QJsonObject trace(int row) const { return m_rows.value(row); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    void loaded(); // a page arrived
    void failed(const QString& message);

private:
    AdminClient& m_client;
    QUrlQuery m_filter;
    QList<QJsonObject> m_rows;
    QString m_nextCursor;
    qint64 m_total = 0;
    int m_generation = 0; // answers to an older filter are dropped
    bool m_loading = false;
    bool m_atEnd = false;
};
