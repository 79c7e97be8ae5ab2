#include "models/JsonTableModel.h"

JsonTableModel::JsonTableModel(QList<Column> columns, QObject* parent)
    : QAbstractTableModel(parent), m_columns(std::move(columns))
{}

void JsonTableModel::setRows(const QJsonArray& rows)
{
    QList<QJsonObject> fresh;
    fresh.reserve(rows.size());
    for (const QJsonValue& row : rows)
        fresh.append(row.toObject());
    // The same objects in the same order (a page refreshing its figures): the rows change in place, so the
    // selection and the scroll position stay.
    const auto sameObject = [](const QJsonObject& a, const QJsonObject& b) {
        return a.value(QLatin1String("id")) == b.value(QLatin1String("id"));
    };
    if (!fresh.isEmpty() && std::equal(fresh.begin(), fresh.end(), m_rows.begin(), m_rows.end(), sameObject)) {
        m_rows = std::move(fresh);
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        return;
    }
    beginResetModel();
    m_rows = std::move(fresh);
    endResetModel();
}

int JsonTableModel::rowOfId(qint64 id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).value(QLatin1String("id")).toInteger() == id)
            return i;
    }
    return -1;
}

int JsonTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JsonTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant JsonTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    if (role == Qt::DisplayRole)
        return m_columns.at(index.column()).display(m_rows.at(index.row()));
    return {};
}

QVariant JsonTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section < m_columns.size())
        return m_columns.at(section).title;
    return QAbstractTableModel::headerData(section, orientation, role);
}
