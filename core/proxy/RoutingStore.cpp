#include "proxy/RoutingStore.h"

#include "auth/Permissions.h"
#include "balance/KeySelector.h"
#include "common/Logging.h"
#include "crypto/SecretBox.h"
#include "health/KeyState.h"
#include "providers/RequestHeaders.h"
#include "storage/Database.h"
#include "storage/SealedColumns.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlQuery>

namespace {

QJsonObject jsonObject(const QVariant& text)
{
    return QJsonDocument::fromJson(text.toString().toUtf8()).object();
}

// The provider_types row as the admin API shows the type, which ProviderProfile::fromType reads.
QJsonObject typeJson(const QSqlQuery& row)
{
    return QJsonObject{
        {QStringLiteral("name"), row.value(1).toString()},
        {QStringLiteral("apiFormat"), row.value(2).toString()},
        {QStringLiteral("baseUrl"), row.value(3).toString()},
        {QStringLiteral("authHeader"), row.value(4).toString()},
        {QStringLiteral("authTemplate"), row.value(5).toString()},
        {QStringLiteral("keyQueryParam"), row.value(6).isNull() ? QJsonValue() : row.value(6).toString()},
        {QStringLiteral("defaultHeaders"), jsonObject(row.value(7))},
        {QStringLiteral("usagePaths"), jsonObject(row.value(8))},
        {QStringLiteral("modelPaths"), jsonObject(row.value(9))},
        {QStringLiteral("streamEventRoots"), jsonObject(row.value(10))},
        {QStringLiteral("allowedRoutes"),
         row.value(13).isNull() ? QJsonValue() : QJsonDocument::fromJson(row.value(13).toString().toUtf8()).array()}};
}

bool mayProxy(const QStringList& permissions, const QString& providerType)
{
    return permissions.contains(QLatin1String(Permissions::kSuperAdmin)) ||
           permissions.contains(QLatin1String(Permissions::kProxyAll)) ||
           permissions.contains(Permissions::proxy(providerType));
}

template <typename T>
std::shared_ptr<T> reuse(QHash<qint64, std::shared_ptr<T>>& live, qint64 id,
                         const std::function<std::shared_ptr<T>()>& make)
{
    auto& slot = live[id];
    if (!slot)
        slot = make();
    return slot;
}

} // namespace

RoutingStore::RoutingStore(Database& database, const SecretBox& secrets, const KeyClock& clock, HealthPolicy policy)
    : m_database(database), m_secrets(secrets), m_clock(clock), m_policy(policy),
      m_table(std::make_shared<const RoutingTable>()), m_builtAtMs(QDateTime::currentMSecsSinceEpoch())
{}

Result<QHash<qint64, std::shared_ptr<const ProviderRoute>>> RoutingStore::loadProviders(RoutingTable& table)
{
    auto rows = m_database.exec(QStringLiteral(
        "SELECT id, name, api_format, base_url, auth_header, auth_template, key_query_param, default_headers, "
        "usage_paths, model_paths, stream_event_roots, probe_method, probe_path, allowed_routes FROM provider_types "
        "WHERE deleted_at IS NULL AND active = 1"));
    if (!rows)
        return rows.error();
    QHash<qint64, std::shared_ptr<const ProviderRoute>> providers;
    while (rows->next()) {
        auto profile = ProviderProfile::fromType(typeJson(*rows));
        if (!profile) {
            qCWarning(lcProxy).noquote() << "provider type" << rows->value(1).toString()
                                         << "is not served:" << profile.error().message;
            continue;
        }
        auto route = std::make_shared<const ProviderRoute>(
            ProviderRoute{rows->value(0).toLongLong(), *profile, rows->value(11).toString().toUpper().toLatin1(),
                          rows->value(12).toString()});
        providers.insert(route->id, route);
        table.providers.append(route);
    }
    return providers;
}

Result<QHash<qint64, PoolKey>> RoutingStore::loadProviderKeys(RoutingTable& table)
{
    // API keys, and OAuth accounts that hold an access token (one whose refresh failed for good stays, marked invalid,
    // so that its health tells why).
    auto rows = m_database.exec(QStringLiteral(
        "SELECT k.id, k.secret_ciphertext, k.weight, k.rpm_limit, k.tpm_limit, k.rpd_limit, k.provider_type_id, "
        "k.cooldown_until, k.health_status, k.invalid_reason, k.ejected_until, s.id, s.access_token_ciphertext, "
        "c.auth_header, c.auth_template, c.extra_headers, s.status FROM provider_keys k "
        "LEFT JOIN oauth_sessions s ON s.provider_key_id = k.id AND k.auth_kind = 'oauth' "
        "LEFT JOIN oauth_configs c ON c.id = s.oauth_config_id "
        "WHERE k.deleted_at IS NULL AND k.active = 1 AND (k.auth_kind = 'api_key' OR "
        "(s.access_token_ciphertext IS NOT NULL AND s.status IN ('active', 'error')))"));
    if (!rows)
        return rows.error();
    QHash<qint64, PoolKey> keys;
    while (rows->next()) {
        const qint64 id = rows->value(0).toLongLong();
        auto credential = openCredential(*rows);
        if (credential) {
            table.providerCredentials.insert(id, std::move(*credential));
        } else if (const auto previous = current(); previous && previous->providerCredentials.contains(id)) {
            // After a master key rotation this instance could not follow: it serves on with what it had opened.
            table.providerCredentials.insert(id, previous->providerCredentials.value(id));
        } else {
            qCCritical(lcProxy) << "provider key" << id << "is not served: its secret cannot be decrypted";
            continue;
        }
        table.providerKeyTypes.insert(id, rows->value(6).toLongLong());
        const KeyQuota quota{rows->value(3).toLongLong(), rows->value(4).toLongLong(), rows->value(5).toLongLong()};
        std::shared_ptr<KeyLimits> limits;
        if (!quota.isUnlimited()) {
            limits = reuse<KeyLimits>(m_keyLimits, id, [&] { return std::make_shared<KeyLimits>(quota); });
            limits->setQuota(quota, m_clock.now());
        }
        keys.insert(id, PoolKey{id, rows->value(2).toInt(),
                                reuse<KeyState>(m_keyStates, id, [&] { return restoredState(*rows); }), limits,
                                quota.shared("p" + QByteArray::number(id))});
    }
    return keys;
}

// The credential of a row of loadProviderKeys(): columns 0 (id), 1 (the API key), 11 (the OAuth session), 12 (its
// access token), 13-15 (its configuration's header, template and extra headers), 16 (its status).
Result<KeyCredential> RoutingStore::openCredential(const QSqlQuery& row) const
{
    const qint64 sessionId = row.value(11).toLongLong();
    if (sessionId == 0) {
        const qint64 id = row.value(0).toLongLong();
        auto secret = m_secrets.open(row.value(1).toByteArray(), SealedColumns::kProviderKeySecret.associatedData(id));
        if (!secret)
            return secret.error();
        return KeyCredential{secret->view().toByteArray()};
    }
    auto token =
        m_secrets.open(row.value(12).toByteArray(), SealedColumns::kOAuthAccessToken.associatedData(sessionId));
    if (!token)
        return token.error();
    KeyCredential credential{
        token->view().toByteArray(), row.value(13).toString().toLatin1(),
        row.value(14).toString().replace(QLatin1String("{token}"), QLatin1String("{key}")).toLatin1()};
    const QJsonObject extra = QJsonDocument::fromJson(row.value(15).toString().toUtf8()).object();
    for (auto it = extra.begin(); it != extra.end(); ++it)
        credential.extraHeaders.append({it.key().toLatin1(), it.value().toString().toLatin1()});
    credential.oauthSessionId = sessionId;
    credential.disconnected = row.value(16).toString() != QLatin1String("active");
    return credential;
}

namespace {

// The health columns cooldown_until, health_status, invalid_reason, ejected_until of a provider_keys row, from column
// `first` on.
PersistedKeyHealth persistedHealth(const QSqlQuery& row, int first)
{
    const auto time = [&](int column) {
        return row.value(column).isNull() ? QDateTime()
                                          : QDateTime::fromMSecsSinceEpoch(row.value(column).toLongLong(), Qt::UTC);
    };
    PersistedKeyHealth saved;
    saved.cooldownUntil = time(first);
    saved.invalid = row.value(first + 1).toString() == QLatin1String("invalid");
    saved.invalidReason = row.value(first + 2).toString();
    saved.ejectedUntil = time(first + 3);
    return saved;
}

} // namespace

// A key's state as the last run left it: cooldowns and invalid marks survive a restart (KeyHealthRecorder saves them).
std::shared_ptr<KeyState> RoutingStore::restoredState(const QSqlQuery& row) const
{
    auto state = std::make_shared<KeyState>(row.value(0).toLongLong(), m_policy);
    state->restore(persistedHealth(row, 7), m_clock.now(), QDateTime::currentDateTimeUtc());
    return state;
}

Result<void> RoutingStore::adoptHealth(const std::function<bool(qint64, const PersistedKeyHealth&)>& ownWrite)
{
    auto rows = m_database.exec(QStringLiteral("SELECT id, cooldown_until, health_status, invalid_reason, "
                                               "ejected_until, health_reset_at FROM provider_keys "
                                               "WHERE deleted_at IS NULL"));
    if (!rows)
        return rows.error();
    const KeyTime now = m_clock.now();
    const QDateTime wallNow = QDateTime::currentDateTimeUtc();
    while (rows->next()) {
        const qint64 id = rows->value(0).toLongLong();
        const auto state = m_keyStates.value(id);
        if (!state)
            continue;
        // An admin's reset through any instance clears the marks held here from before it.
        // (A reset from before this store was built is in the row it was built from.)
        const qint64 resetAt = rows->value(5).toLongLong();
        if (resetAt > m_resetsSeen.value(id, m_builtAtMs)) {
            m_resetsSeen.insert(id, resetAt);
            state->reset(); // and nothing from the row this time: it may hold a mark saved before the reset
            continue;
        }
        const PersistedKeyHealth saved = persistedHealth(*rows, 1);
        if (!ownWrite || !ownWrite(id, saved))
            state->restore(saved, now, wallNow);
    }
    return {};
}

std::vector<ProbeTarget> RoutingStore::probeTargets() const
{
    const auto table = current();
    QHash<qint64, const ProviderRoute*> providers;
    for (const auto& provider : table->providers)
        providers.insert(provider->id, provider.get());
    std::vector<ProbeTarget> targets;
    for (auto it = table->providerCredentials.constBegin(); it != table->providerCredentials.constEnd(); ++it) {
        const ProviderRoute* provider = providers.value(table->providerKeyTypes.value(it.key()));
        if (!provider || provider->probePath.isEmpty() || it->disconnected)
            continue;
        QUrl url = provider->profile.baseUrl;
        const QUrl probe(provider->probePath);
        QString basePath = url.path();
        while (basePath.endsWith(QLatin1Char('/')))
            basePath.chop(1);
        url.setPath(basePath + probe.path());
        url.setQuery(probe.query());
        HttpHeaders headers = RequestHeaders::upstream(HttpHeaders(), provider->profile, it.value());
        targets.push_back(ProbeTarget{it.key(), m_keyStates.value(it.key()), provider->probeMethod, url, headers,
                                      it->isOAuth() ? it->secret : QByteArray()});
    }
    return targets;
}

Result<void> RoutingStore::loadPricing(RoutingTable& table)
{
    auto rows = m_database.exec(
        QStringLiteral("SELECT t.name, p.model_pattern, p.input_micros_per_mtok, p.output_micros_per_mtok, "
                       "p.cache_read_micros_per_mtok, p.cache_write_micros_per_mtok FROM model_pricing p "
                       "JOIN provider_types t ON t.id = p.provider_type_id WHERE t.deleted_at IS NULL"));
    if (!rows)
        return rows.error();
    QList<ModelPrice> prices;
    // A cache price of 0 means "not set": cached tokens then cost the input price.
    const auto optionalPrice = [](qint64 price) { return price > 0 ? std::optional<qint64>(price) : std::nullopt; };
    while (rows->next())
        prices.append(ModelPrice{rows->value(0).toString(), rows->value(1).toString(), rows->value(2).toLongLong(),
                                 rows->value(3).toLongLong(), optionalPrice(rows->value(4).toLongLong()),
                                 optionalPrice(rows->value(5).toLongLong())});
    table.pricing = Pricing(prices);
    return {};
}

// Every table is read in one snapshot: on PostgreSQL each statement would otherwise see its own moment, and a gateway
// key committed between the read of the pools and that of the keys was served with an empty pool (403) until the
// next change (found as a TestScaleOut flake).
Result<void> RoutingStore::reload()
{
    return m_database.snapshot([this] { return build(); });
}

Result<void> RoutingStore::build()
{
    auto table = std::make_shared<RoutingTable>();
    auto providers = loadProviders(*table);
    if (!providers)
        return providers.error();
    auto providerKeys = loadProviderKeys(*table);
    if (!providerKeys)
        return providerKeys.error();
    for (const PoolKey& key : std::as_const(*providerKeys)) {
        const auto provider = providers->value(table->providerKeyTypes.value(key.id));
        // An OAuth account whose refresh was refused is not probed (probeTargets): a refusal then counts at once.
        key.state->setProbed(m_policy.probesRun && provider && !provider->probePath.isEmpty() &&
                             !table->providerCredentials.value(key.id).disconnected);
    }
    if (auto pricing = loadPricing(*table); !pricing)
        return pricing;

    auto poolRows = m_database.exec(QStringLiteral("SELECT gateway_key_id, provider_key_id FROM gateway_key_pool"));
    if (!poolRows)
        return poolRows.error();
    QHash<qint64, QList<qint64>> pools;
    while (poolRows->next())
        pools[poolRows->value(0).toLongLong()].append(poolRows->value(1).toLongLong());

    auto rows = m_database.exec(QStringLiteral(
        "SELECT g.id, g.user_id, g.provider_type_id, g.key_hash, g.strategy, g.retry_count, g.timeout_ms, "
        "g.rpm_limit, g.rpd_limit, g.tokens_per_day_limit, g.cost_per_day_limit_micros, g.expires_at, g.enabled, "
        "u.enabled, u.deleted_at, r.permissions, g.key_prefix FROM gateway_keys g JOIN users u ON u.id = g.user_id "
        "JOIN roles r ON r.id = u.role_id WHERE g.deleted_at IS NULL"));
    if (!rows)
        return rows.error();
    if (!m_budgetsSeeded) {
        // A restart must not reset what keys already spent today.
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        if (auto seeded = seedBudgets(nowMs - nowMs % kDayMs); !seeded)
            return seeded;
        m_budgetsSeeded = true;
    }
    while (rows->next()) {
        auto provider = providers->value(rows->value(2).toLongLong());
        if (!provider)
            continue; // its provider type is inactive or deleted: the key is unknown to the proxy
        auto route = std::make_shared<GatewayKeyRoute>();
        route->id = rows->value(0).toLongLong();
        route->userId = rows->value(1).toLongLong();
        route->keyPrefix = rows->value(16).toString();
        route->provider = provider;
        route->selector = KeySelector::forStrategy(rows->value(4).toString());
        if (!route->selector)
            route->selector = KeySelector::forStrategy(u"round_robin");
        route->retryCount = rows->value(5).toInt();
        route->timeoutMs = rows->value(6).toInt();
        route->expiresAtMs = rows->value(11).toLongLong();
        route->enabled = rows->value(12).toInt() == 1;
        QStringList permissions;
        for (const QJsonValue& permission : QJsonDocument::fromJson(rows->value(15).toString().toUtf8()).array())
            permissions << permission.toString();
        route->userMayProxy =
            rows->value(13).toInt() == 1 && rows->value(14).isNull() && mayProxy(permissions, provider->profile.name);

        std::vector<PoolKey> poolKeys;
        for (qint64 keyId : pools.value(route->id)) {
            if (auto it = providerKeys->constFind(keyId); it != providerKeys->constEnd())
                poolKeys.push_back(*it);
        }
        route->pool = std::make_shared<KeyPool>(std::move(poolKeys));

        const KeyQuota requests{rows->value(7).toLongLong(), 0, rows->value(8).toLongLong()};
        if (!requests.isUnlimited()) {
            route->requestLimits =
                reuse<KeyLimits>(m_requestLimits, route->id, [&] { return std::make_shared<KeyLimits>(requests); });
            route->requestLimits->setQuota(requests, m_clock.now());
            route->sharedLimits = requests.shared("g" + QByteArray::number(route->id));
        }
        const qint64 tokensPerDay = rows->value(9).toLongLong();
        const qint64 costPerDay = rows->value(10).toLongLong();
        if (tokensPerDay > 0 || costPerDay > 0) {
            route->budget = reuse<GatewayKeyBudget>(
                m_budgets, route->id, [&] { return std::make_shared<GatewayKeyBudget>(tokensPerDay, costPerDay); });
            route->budget->setLimits(tokensPerDay, costPerDay);
            const QByteArray owner = "g" + QByteArray::number(route->id);
            if (tokensPerDay > 0)
                route->sharedLimits.append({owner + ":tokens", 0, tokensPerDay, 0});
            if (costPerDay > 0)
                route->sharedLimits.append({owner + ":cost", 0, costPerDay, 0});
        }
        table->gatewayKeysByDigest.insert(QByteArray::fromHex(rows->value(3).toString().toLatin1()), route);
    }
    m_table.store(std::move(table), std::memory_order_release);
    return {};
}

Result<void> RoutingStore::seedBudgets(qint64 dayStartMs)
{
    auto rows = m_database.exec(QStringLiteral("SELECT gateway_key_id, SUM(total_tokens), SUM(cost_micros) FROM traces "
                                               "WHERE created_at >= ? AND gateway_key_id IS NOT NULL "
                                               "GROUP BY gateway_key_id"),
                                {dayStartMs});
    if (!rows)
        return rows.error();
    while (rows->next()) {
        auto budget = std::make_shared<GatewayKeyBudget>(0, 0);
        budget->add(rows->value(1).toLongLong(), rows->value(2).toLongLong(), dayStartMs);
        m_budgets.insert(rows->value(0).toLongLong(), budget);
    }
    return {};
}
