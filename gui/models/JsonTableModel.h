#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QJsonObject>

#include <functional>

// Rows of an admin API list as a table: each column a title and how to show a row's value.
class JsonTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    struct Column
    {
        QString title;
        std::function<QVariant(const QJsonObject& row)> display;
    };

    explicit JsonTableModel(QList<Column> columns, QObject* parent = nullptr);

    // Rows with the same ids in the same order update in place (the selection stays); others reset the model.
    void setRows(const QJsonArray& rows);
    QJsonObject row(int index) const { return m_rows.value(index); }
    int rowOfId(qint64 id) const; // -1 when absent

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Column> m_columns;
    QList<QJsonObject> m_rows;
};
