#pragma once

#include "common/Actor.h"
#include "common/Result.h"
#include "service/ServiceContext.h"

#include <QJsonObject>
#include <QUrlQuery>

// How to connect a provider account with OAuth 2.0 (authorization code with PKCE) and how its access token goes
// upstream (docs/oauth.md). The client secret is write-only: sealed under "oauth_config:<id>:client_secret_ciphertext",
// shown only as "clientSecretSet". providers:manage to change; provider_keys:view or :manage also to read, since those
// connect accounts with them.
class OAuthConfigService
{
public:
    explicit OAuthConfigService(ServiceContext& context) : m_context(context) {}

    // Filters: providerTypeId, enabled, q (name); sort: name, createdAt, id.
    Result<QJsonObject> list(const Actor& actor, const QUrlQuery& query);
    Result<QJsonObject> get(const Actor& actor, qint64 id);
    Result<QJsonObject> create(const Actor& actor, const QJsonObject& input);
    Result<QJsonObject> update(const Actor& actor, qint64 id, const QJsonObject& input);
    Result<void> remove(const Actor& actor, qint64 id);

private:
    Result<QJsonObject> load(qint64 id);
    Result<void> storeClientSecret(qint64 id, const std::optional<QString>& secret);
    Result<void> checkNameFree(const QString& name, qint64 exceptId);

    ServiceContext& m_context;
};
