#pragma once

#include "common/Result.h"
#include "http/UpstreamOrigin.h"
#include "providers/ProviderErrors.h"
#include "providers/RouteAllowlist.h"
#include "providers/UsageMatcher.h"
#include "providers/UsagePaths.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

// A provider type as data: a row of the provider_types table, its settings column in this JSON shape:
//   {"name": "anthropic",
//    "base_url": "https://api.anthropic.com",
//    "auth_header": "x-api-key", "auth_template": "{key}",        // how the provider key is sent upstream
//    "default_headers": {"anthropic-version": "2023-06-01"},      // added only when the client sent none
//    "client_key": {"headers": ["x-api-key", "authorization"], "query": ""}, // where clients put their gateway key
//    "error_format": "anthropic",                                 // "openai" | "anthropic" | "gemini"
//    "allowed_routes": ["POST /v1/messages", "GET /v1/models/*"],  // see RouteAllowlist.h; absent: all
//    "usage": {...}}                                              // see UsagePaths.h
// A client key in an "authorization" header is read as "Bearer <key>". Header names compare case-insensitively
// and are stored lower-case.
struct ProviderProfile
{
    QString name;
    QUrl baseUrl;
    UpstreamOrigin origin; // of baseUrl
    QByteArray basePath;   // baseUrl's path without a trailing '/': it goes before every client path
    QByteArray authHeader;
    QByteArray authTemplate; // contains {key}
    QList<QPair<QByteArray, QByteArray>> defaultHeaders;
    QList<QByteArray> clientKeyHeaders;
    QByteArray clientKeyQuery; // empty: clients never send the key in the query
    ErrorFormat errorFormat = ErrorFormat::OpenAi;
    RouteAllowlist allowedRoutes;
    UsagePaths usage;
    std::shared_ptr<const UsageMatcher> usageMatcher; // usage prepared for UsageExtractor, built by fromJson()

    static Result<ProviderProfile> fromJson(const QJsonObject& json);

    // The three built-in types: "openai", "anthropic", "gemini". builtinJson() is the settings JSON the storage
    // seed writes; builtin() is that JSON parsed.
    static QStringList builtinNames();
    static QJsonObject builtinJson(const QString& name); // empty object for an unknown name
    static ProviderProfile builtin(const QString& name);
};
