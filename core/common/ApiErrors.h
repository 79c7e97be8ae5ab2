#pragma once

#include "common/Result.h"

// The errors the use cases answer with, in the admin API's vocabulary (ApiReply::fromError gives each its status):
// invalid_argument 400, unauthenticated 401, forbidden 403, not_found 404, conflict 409, too_many_requests 429,
// bad_gateway 502 (a server the gateway asked for the caller gave no usable answer).
namespace ApiErrors {
inline Error invalid(const QString& message)
{
    return Error::make(QStringLiteral("invalid_argument"), message);
}
inline Error unauthenticated(const QString& message)
{
    return Error::make(QStringLiteral("unauthenticated"), message);
}
inline Error forbidden(const QString& message)
{
    return Error::make(QStringLiteral("forbidden"), message);
}
inline Error notFound(const QString& message)
{
    return Error::make(QStringLiteral("not_found"), message);
}
inline Error conflict(const QString& message)
{
    return Error::make(QStringLiteral("conflict"), message);
}
inline Error tooMany(const QString& message)
{
    return Error::make(QStringLiteral("too_many_requests"), message);
}
inline Error badGateway(const QString& message)
{
    return Error::make(QStringLiteral("bad_gateway"), message);
}
} // namespace ApiErrors
