#include "admin/ApiRequest.h"

#include "admin/ApiReply.h"

#include <QJsonDocument>
#include <QJsonParseError>

QByteArray ApiRequest::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

Result<QJsonObject> ApiRequest::jsonObject() const
{
    if (body.trimmed().isEmpty())
        return ApiErrors::invalid(QStringLiteral("the request body must be a JSON object"));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return ApiErrors::invalid(QStringLiteral("the request body is not valid JSON: %1 at offset %2")
                                      .arg(error.errorString())
                                      .arg(error.offset));
    if (!document.isObject())
        return ApiErrors::invalid(QStringLiteral("the request body must be a JSON object"));
    return document.object();
}

Result<qint64> ApiRequest::id(const QString& name) const
{
    bool ok = false;
    const qint64 value = params.value(name).toLongLong(&ok);
    if (!ok || value <= 0)
        return ApiErrors::notFound(QStringLiteral("no such object: '%1'").arg(params.value(name)));
    return value;
}
