#include "providers/ProviderErrors.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {

struct KindInfo
{
    int status;
    const char* name;
    const char* openAiType;
    const char* openAiCode; // nullptr: JSON null
    const char* anthropicType;
    const char* geminiStatus;
};

// Types and codes as the providers document and send them (OpenAI error codes guide, Anthropic "HTTP errors",
// Gemini troubleshooting table). The Gemini API itself answers a bad key with 400 API_KEY_INVALID; the gateway
// uses the canonical 401 UNAUTHENTICATED so that every format agrees on the status.
KindInfo info(GatewayError kind)
{
    switch (kind) {
    case GatewayError::MissingKey:
        return {401, "missing_key", "invalid_request_error", nullptr, "authentication_error", "UNAUTHENTICATED"};
    case GatewayError::InvalidKey:
        return {
            401, "invalid_key", "invalid_request_error", "invalid_api_key", "authentication_error", "UNAUTHENTICATED"};
    case GatewayError::KeyDisabled:
        return {
            401, "key_disabled", "invalid_request_error", "invalid_api_key", "authentication_error", "UNAUTHENTICATED"};
    case GatewayError::KeyExpired:
        return {
            401, "key_expired", "invalid_request_error", "invalid_api_key", "authentication_error", "UNAUTHENTICATED"};
    case GatewayError::Forbidden:
        return {
            403, "forbidden", "invalid_request_error", "permission_denied", "permission_error", "PERMISSION_DENIED"};
    case GatewayError::EmptyPool:
        return {403, "empty_pool", "invalid_request_error", "empty_pool", "permission_error", "PERMISSION_DENIED"};
    case GatewayError::RouteNotAllowed:
        return {404, "route_not_allowed", "invalid_request_error", nullptr, "not_found_error", "NOT_FOUND"};
    case GatewayError::QuotaExceeded:
        return {429,
                "quota_exceeded",
                "insufficient_quota",
                "insufficient_quota",
                "rate_limit_error",
                "RESOURCE_EXHAUSTED"};
    case GatewayError::RateLimited:
        return {429, "rate_limited", "requests", "rate_limit_exceeded", "rate_limit_error", "RESOURCE_EXHAUSTED"};
    case GatewayError::BodyTooLarge:
        return {413,
                "body_too_large",
                "invalid_request_error",
                "request_too_large",
                "request_too_large",
                "INVALID_ARGUMENT"};
    case GatewayError::BadRequest:
        return {400, "bad_request", "invalid_request_error", nullptr, "invalid_request_error", "INVALID_ARGUMENT"};
    case GatewayError::UpstreamUnavailable:
        return {502, "upstream_unavailable", "server_error", "upstream_unavailable", "api_error", "UNAVAILABLE"};
    case GatewayError::UpstreamTimeout:
        return {504, "upstream_timeout", "server_error", "upstream_timeout", "api_error", "DEADLINE_EXCEEDED"};
    case GatewayError::NoHealthyKey:
        return {503, "no_healthy_key", "server_error", "no_healthy_key", "overloaded_error", "UNAVAILABLE"};
    case GatewayError::Overloaded:
        return {503, "overloaded", "server_error", "overloaded", "overloaded_error", "UNAVAILABLE"};
    case GatewayError::Internal:
        break;
    }
    return {500, "internal", "server_error", nullptr, "api_error", "INTERNAL"};
}

// A JSON string literal, escaped by Qt's own writer.
QByteArray quoted(const QString& text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.sliced(1, array.size() - 2);
}

} // namespace

// Written by hand rather than through QJsonObject so that the members keep the providers' own order.
QByteArray ProviderErrors::body(ErrorFormat format, GatewayError kind, const QString& message)
{
    const KindInfo k = info(kind);
    QByteArray out;
    switch (format) {
    case ErrorFormat::OpenAi:
        out = "{\"error\":{\"message\":" + quoted(message) + ",\"type\":\"" + k.openAiType +
              "\",\"param\":null,\"code\":" + (k.openAiCode ? '"' + QByteArray(k.openAiCode) + '"' : "null") + "}}";
        break;
    case ErrorFormat::Anthropic:
        out = "{\"type\":\"error\",\"error\":{\"type\":\"" + QByteArray(k.anthropicType) +
              "\",\"message\":" + quoted(message) + "}}";
        break;
    case ErrorFormat::Gemini:
        out = "{\"error\":{\"code\":" + QByteArray::number(k.status) + ",\"message\":" + quoted(message) +
              ",\"status\":\"" + k.geminiStatus + "\"}}";
        break;
    }
    return out;
}

int ProviderErrors::httpStatus(GatewayError kind)
{
    return info(kind).status;
}

QString ProviderErrors::kindName(GatewayError kind)
{
    return QString::fromLatin1(info(kind).name);
}

std::optional<ErrorFormat> ProviderErrors::formatFromName(const QString& name)
{
    if (name == QLatin1String("openai"))
        return ErrorFormat::OpenAi;
    if (name == QLatin1String("anthropic"))
        return ErrorFormat::Anthropic;
    if (name == QLatin1String("gemini"))
        return ErrorFormat::Gemini;
    return std::nullopt;
}

QString ProviderErrors::formatName(ErrorFormat format)
{
    switch (format) {
    case ErrorFormat::OpenAi:
        return QStringLiteral("openai");
    case ErrorFormat::Anthropic:
        return QStringLiteral("anthropic");
    case ErrorFormat::Gemini:
        break;
    }
    return QStringLiteral("gemini");
}

ErrorFormat ProviderErrors::formatOfRequest(QByteArrayView path, const HttpHeaders& headers)
{
    if (path.startsWith("/v1beta/") || path.contains(":generateContent") || path.contains(":streamGenerateContent"))
        return ErrorFormat::Gemini;
    if (path.startsWith("/v1/messages") || headers.contains("anthropic-version"))
        return ErrorFormat::Anthropic;
    return ErrorFormat::OpenAi;
}
