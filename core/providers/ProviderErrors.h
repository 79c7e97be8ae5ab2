#pragma once

#include "http/HttpHeaders.h"

#include <QByteArray>
#include <QString>

#include <optional>

// The error body shapes the official SDKs parse.
enum class ErrorFormat { OpenAi, Anthropic, Gemini };

// Errors the gateway answers itself, before or instead of the provider.
enum class GatewayError {
    MissingKey,          // 401
    InvalidKey,          // 401
    KeyDisabled,         // 401
    KeyExpired,          // 401
    Forbidden,           // 403
    RouteNotAllowed,     // 404: the provider type does not serve this method and path
    EmptyPool,           // 403: the gateway key has no provider keys; a configuration error, not to be retried
    RateLimited,         // 429 (the caller adds Retry-After)
    QuotaExceeded,       // 429: the gateway key's daily budget is spent; answered with x-should-retry: false
    BodyTooLarge,        // 413
    BadRequest,          // 400
    UpstreamUnavailable, // 502
    UpstreamTimeout,     // 504
    NoHealthyKey,        // 503: every key of the pool is cooling down or unhealthy; SDKs retry 503
    Overloaded,          // 503: the gateway holds all the request bodies it may; SDKs retry 503
    Internal,            // 500
};

// Gateway-generated error bodies in each provider's own format:
//   OpenAI    {"error":{"message":"...","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}
//   Anthropic {"type":"error","error":{"type":"authentication_error","message":"..."}}
//   Gemini    {"error":{"code":401,"message":"...","status":"UNAUTHENTICATED"}}
class ProviderErrors
{
public:
    static QByteArray body(ErrorFormat format, GatewayError kind, const QString& message);
    static int httpStatus(GatewayError kind);
    static QString kindName(GatewayError kind); // "missing_key", ...: for traces and logs

    static std::optional<ErrorFormat> formatFromName(const QString& name); // "openai" | "anthropic" | "gemini"
    // Before the key is known, the format the calling SDK expects, told by the path (and Anthropic's version header).
    static ErrorFormat formatOfRequest(QByteArrayView path, const HttpHeaders& headers);
    static QString formatName(ErrorFormat format);
};
