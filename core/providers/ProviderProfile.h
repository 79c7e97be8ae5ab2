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
#include <QUrl>

#include <memory>

// A provider type as the gateway serves it, made from the type as the admin API shows it (docs/providers.md):
// {name, apiFormat, baseUrl, authHeader, authTemplate, keyQueryParam, defaultHeaders, usagePaths, modelPaths,
// streamEventRoots, allowedRoutes}. Clients may send their gateway key where the provider's own clients send theirs
// (authHeader, keyQueryParam) or as "Authorization: Bearer <key>". Header names compare case-insensitively and are
// stored lower-case.
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
    std::shared_ptr<const UsageMatcher> usageMatcher; // usage prepared for UsageExtractor, built by fromType()

    static Result<ProviderProfile> fromType(const QJsonObject& type);
};
