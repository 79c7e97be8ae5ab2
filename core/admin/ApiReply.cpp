#include "admin/ApiReply.h"

#include <QHash>

int ApiReply::statusFor(const QString& code)
{
    static const QHash<QString, int> statuses{
        {QStringLiteral("invalid_argument"), 400},   {QStringLiteral("unauthenticated"), 401},
        {QStringLiteral("forbidden"), 403},          {QStringLiteral("not_found"), 404},
        {QStringLiteral("method_not_allowed"), 405}, {QStringLiteral("conflict"), 409},
        {QStringLiteral("payload_too_large"), 413},  {QStringLiteral("unsupported_media_type"), 415},
        {QStringLiteral("too_many_requests"), 429},  {QStringLiteral("bad_gateway"), 502},
    };
    return statuses.value(code, 500);
}

ApiReply ApiReply::fromError(const Error& error)
{
    const int status = statusFor(error.code);
    // Internal errors keep their detail in the log; the caller learns only that something failed on our side.
    const QString message = status == 500 ? QStringLiteral("internal error") : error.message;
    const QString code = status == 500 ? QStringLiteral("internal") : error.code;
    return {status,
            QJsonDocument(QJsonObject{{QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), code},
                                                                            {QStringLiteral("message"), message}}}}),
            {}};
}
