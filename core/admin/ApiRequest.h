#pragma once

#include "common/Actor.h"
#include "common/Result.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QUrlQuery>

// One admin-API request as a handler sees it: path parameters from the route pattern, the query, the body, the
// caller's address and, on authenticated routes, the Actor.
struct ApiRequest
{
    QByteArray method;
    QString path;
    QHash<QString, QString> params; // "{id}" in the pattern -> params["id"]
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString clientAddress;
    Actor actor; // userId 0 on public routes

    QByteArray header(const QByteArray& name) const;
    // The body as a JSON object; a clear invalid_argument error when it is empty, broken or not an object.
    Result<QJsonObject> jsonObject() const;
    // A path parameter that must be a positive id.
    Result<qint64> id(const QString& name = QStringLiteral("id")) const;
};
