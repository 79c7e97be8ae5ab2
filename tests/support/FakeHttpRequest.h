#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

// One request as a fake upstream received it, kept for the test to assert on.
struct FakeHttpRequest
{
    int connectionId = 0; // 1, 2, ... in order of accepted connections; equal ids mean a reused connection
    QByteArray method;
    QString path; // without the query
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers; // in arrival order, names as sent
    QByteArray body;                              // decoded (chunked bodies arrive joined)

    // The first value of a header, matched case-insensitively; empty when absent.
    QByteArray header(QByteArrayView name) const
    {
        for (const auto& [key, value] : headers) {
            if (name.compare(key, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    bool hasHeader(QByteArrayView name) const
    {
        for (const auto& header : headers) {
            if (name.compare(header.first, Qt::CaseInsensitive) == 0)
                return true;
        }
        return false;
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};
