#include "models/TraceModel.h"

#include "client/AdminClient.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLocale>

TraceModel::TraceModel(AdminClient& client, QObject* parent) : QAbstractTableModel(parent), m_client(client) {}

void TraceModel::setFilter(const QUrlQuery& filter)
{
    beginResetModel();
    m_filter = filter;
    m_rows.clear();
    m_nextCursor.clear();
    m_total = 0;
    m_atEnd = false;
    m_loading = false;
    ++m_generation;
    endResetModel();
    fetchMore({});
}

bool TraceModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && !m_atEnd && !m_loading;
}

void TraceModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    m_loading = true;
    QUrlQuery query = m_filter;
    query.addQueryItem(QStringLiteral("pageSize"), QString::number(kPageSize));
    if (!m_nextCursor.isEmpty())
        query.addQueryItem(QStringLiteral("before"), m_nextCursor);
    const int generation = m_generation;
    m_client.get(QStringLiteral("/api/traces"), query, this, [this, generation](const ApiResult& result) {
        if (generation != m_generation)
            return;
        m_loading = false;
        if (!result.ok()) {
            m_atEnd = true;
            emit failed(result.errorText());
            return;
        }
        const QJsonObject page = result.object();
        const QJsonArray items = page.value(QLatin1String("items")).toArray();
        m_total = page.value(QLatin1String("total")).toInteger();
        m_nextCursor = page.value(QLatin1String("nextCursor")).toString();
        m_atEnd = m_nextCursor.isEmpty();
        if (!items.isEmpty()) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + items.size() - 1));
            for (const QJsonValue& item : items)
                m_rows.append(item.toObject());
            endInsertRows();
        }
        emit loaded();
    });
}

void TraceModel::refreshNewest()
{
    if (m_loading)
        return;
    if (m_rows.isEmpty()) {
        setFilter(m_filter);
        return;
    }
    const qint64 newestId = m_rows.first().value(QLatin1String("id")).toInteger();
    QUrlQuery query = m_filter;
    query.addQueryItem(QStringLiteral("pageSize"), QString::number(kPageSize));
    const int generation = m_generation;
    m_client.get(QStringLiteral("/api/traces"), query, this, [this, generation, newestId](const ApiResult& result) {
        if (generation != m_generation || !result.ok())
            return;
        QList<QJsonObject> fresh;
        for (const QJsonValue& item : result.object().value(QLatin1String("items")).toArray()) {
            if (item.toObject().value(QLatin1String("id")).toInteger() <= newestId)
                break;
            fresh.append(item.toObject());
        }
        m_total = result.object().value(QLatin1String("total")).toInteger();
        if (fresh.size() >= kPageSize) {
            setFilter(m_filter); // more arrived than a page: start over rather than leave a hole
            return;
        }
        if (!fresh.isEmpty()) {
            beginInsertRows({}, 0, int(fresh.size() - 1));
            m_rows = fresh + m_rows;
            endInsertRows();
        }
        emit loaded();
    });
}

int TraceModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TraceModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const QJsonObject& trace = m_rows.at(index.row());
    if (role == Qt::TextAlignmentRole && index.column() != Model && index.column() != Key)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case Time:
        return locale.toString(
            QDateTime::fromString(trace.value(QLatin1String("createdAt")).toString(), Qt::ISODateWithMs).toLocalTime(),
            QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Key: {
        const QJsonValue key = trace.value(QLatin1String("gatewayKeyId"));
        return key.isNull() ? QStringLiteral("—") : QStringLiteral("#%1").arg(key.toInteger());
    }
    case Model:
        return trace.value(QLatin1String("model")).toString();
    case Status:
        return trace.value(QLatin1String("status")).toInt();
    case Tokens:
        return locale.toString(trace.value(QLatin1String("totalTokens")).toInteger());
    case Cost:
        return QStringLiteral("$%1").arg(
            locale.toString(trace.value(QLatin1String("costMicros")).toDouble() / 1e6, 'f', 6));
    case Latency:
        return tr("%1 ms").arg(trace.value(QLatin1String("durationMs")).toInt());
    case Ttfb: {
        const QJsonValue ttfb = trace.value(QLatin1String("ttfbMs"));
        return ttfb.isNull() ? QStringLiteral("—") : tr("%1 ms").arg(ttfb.toInt());
    }
    }
    return {};
}

QVariant TraceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Key:
        return tr("Key");
    case Model:
        return tr("Model");
    case Status:
        return tr("Status");
    case Tokens:
        return tr("Tokens");
    case Cost:
        return tr("Cost");
    case Latency:
        return tr("Latency");
    case Ttfb:
        return tr("First byte");
    }
    return {};
}
