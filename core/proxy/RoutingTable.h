#pragma once

#include "balance/KeyLimits.h"
#include "balance/KeyPool.h"
#include "cache/SharedLimits.h"
#include "providers/KeyCredential.h"
#include "providers/Pricing.h"
#include "providers/ProviderProfile.h"
#include "proxy/GatewayKeyBudget.h"

#include <QHash>

#include <memory>

class KeySelector;

// A provider type the proxy serves.
struct ProviderRoute
{
    qint64 id = 0;
    ProviderProfile profile;
    QByteArray probeMethod; // the cheap request that checks a key, e.g. GET /v1/models
    QString probePath;      // empty: keys of this type are not probed
};

// A gateway key as the proxy sees it. Disabled and expired keys stay in the table so that their callers get the
// precise error and their traces name the key.
struct GatewayKeyRoute
{
    qint64 id = 0;
    qint64 userId = 0;
    QString keyPrefix; // as lists show it, for the access log
    std::shared_ptr<const ProviderRoute> provider;
    const KeySelector* selector = nullptr;
    int retryCount = 0;
    int timeoutMs = 300'000;
    qint64 expiresAtMs = 0; // 0: never
    bool enabled = true;
    bool userMayProxy = true; // the owner is enabled and holds proxy:<type> (or proxy:*)
    std::shared_ptr<KeyPool> pool;
    std::shared_ptr<KeyLimits> requestLimits; // requests per minute and per day; null when unlimited
    std::shared_ptr<GatewayKeyBudget> budget; // tokens and cost per day; null when unlimited
    // The same limits, as every instance counts them in Redis (names "g<id>:rpm", ":rpd", ":tokens", ":cost").
    QList<SharedLimits::Limit> sharedLimits;
};

// Everything a proxy worker needs to route a request, immutable once built (RoutingStore swaps in a new one after
// every admin change). Looked up by the SHA-256 hex of the key the client sent: the key itself is never stored.
struct RoutingTable
{
    QHash<QByteArray, std::shared_ptr<const GatewayKeyRoute>> gatewayKeysByDigest; // GatewayKeyCodec::digest()
    QHash<qint64, KeyCredential> providerCredentials; // provider key id -> its decrypted secret or access token
    QHash<qint64, qint64> providerKeyTypes;           // provider key id -> provider type id
    QList<std::shared_ptr<const ProviderRoute>> providers;
    Pricing pricing;

    const GatewayKeyRoute* gatewayKey(const QByteArray& keyDigest) const
    {
        const auto it = gatewayKeysByDigest.constFind(keyDigest);
        return it == gatewayKeysByDigest.constEnd() ? nullptr : it->get();
    }
};
