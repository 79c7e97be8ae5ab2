#include "service/OAuthSessionService.h"

#include "auth/Permissions.h"
#include "common/ApiErrors.h"
#include "common/Logging.h"
#include "crypto/Digest.h"
#include "crypto/Random.h"
#include "crypto/SecretBox.h"
#include "oauth/Pkce.h"
#include "service/JsonInput.h"
#include "service/JsonValues.h"
#include "service/ListQuery.h"
#include "service/ProviderKeyService.h"
#include "service/RowChanges.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"
#include "storage/SealedColumns.h"

namespace {

const QString kSessionColumns = QStringLiteral(
    "s.id, s.oauth_config_id, c.name, s.provider_key_id, k.name, s.status, s.account, s.expires_at, s.scope, "
    "s.last_refresh_at, s.last_error, s.created_at, s.updated_at, s.key_name");
const QString kSessionFrom = QStringLiteral("oauth_sessions s LEFT JOIN oauth_configs c ON c.id = s.oauth_config_id "
                                            "LEFT JOIN provider_keys k ON k.id = s.provider_key_id");

QJsonObject sessionJson(const QSqlQuery& row)
{
    return QJsonObject{
        {QStringLiteral("id"), row.value(0).toLongLong()},
        {QStringLiteral("configId"), JsonValues::integer(row.value(1))},
        {QStringLiteral("config"), JsonValues::text(row.value(2))},
        {QStringLiteral("providerKeyId"), JsonValues::integer(row.value(3))},
        // the key's name once connected, the name it will get while pending
        {QStringLiteral("name"), row.value(4).isNull() ? JsonValues::text(row.value(13)) : row.value(4).toString()},
        {QStringLiteral("status"), row.value(5).toString()},
        {QStringLiteral("account"), JsonValues::text(row.value(6))},
        {QStringLiteral("expiresAt"), JsonValues::time(row.value(7))},
        {QStringLiteral("scope"), row.value(8).toString()},
        {QStringLiteral("lastRefreshAt"), JsonValues::time(row.value(9))},
        {QStringLiteral("lastError"), JsonValues::text(row.value(10))},
        {QStringLiteral("createdAt"), JsonValues::time(row.value(11))},
        {QStringLiteral("updatedAt"), JsonValues::time(row.value(12))},
    };
}

QString stateHash(const QString& state)
{
    return QString::fromLatin1(Digest::sha256(state.toUtf8()).toHex());
}

QVariant createdBy(const Actor& actor)
{
    return actor.userId > 0 ? QVariant(actor.userId) : JsonValues::nullInteger();
}

Error unknownState()
{
    return ApiErrors::invalid(QStringLiteral("no pending authorization has this state (unknown, already used, or "
                                             "started by someone else): start the authorization again"));
}

// What a configuration gives the flow.
struct FlowConfig
{
    qint64 providerTypeId = 0;
    QString authorizeUrl;
    QString tokenUrl;
    QString clientId;
    QByteArray sealedClientSecret;
    QString scopes;
    QString redirectUri;
    QJsonObject authorizeParams;
    QJsonObject tokenParams;
};

Result<FlowConfig> flowConfig(Database& database, qint64 configId)
{
    auto row =
        database.exec(QStringLiteral("SELECT provider_type_id, authorize_url, token_url, client_id, "
                                     "client_secret_ciphertext, scopes, redirect_uri, authorize_params, "
                                     "token_params, enabled FROM oauth_configs WHERE id = ? AND deleted_at IS NULL"),
                      {configId});
    if (!row)
        return row.error();
    if (!row->next())
        return ApiErrors::invalid(QStringLiteral("'configId' %1 is not an OAuth configuration").arg(configId));
    if (row->value(9).toInt() != 1)
        return ApiErrors::invalid(QStringLiteral("OAuth configuration %1 is disabled").arg(configId));
    FlowConfig config{row->value(0).toLongLong(), row->value(1).toString(),          row->value(2).toString(),
                      row->value(3).toString(),   row->value(4).toByteArray(),       row->value(5).toString(),
                      row->value(6).toString(),   JsonValues::object(row->value(7)), JsonValues::object(row->value(8))};
    row->finish();
    return config;
}

} // namespace

// A session between its claim and the token endpoint's answer.
struct OAuthSessionService::Pending
{
    qint64 sessionId = 0;
    qint64 configId = 0;
    qint64 providerTypeId = 0;
    QString keyName;
    QString requestedScopes;
};

OAuthSessionService::OAuthSessionService(ServiceContext& context, const QString& caFile, RefreshNow refreshNow)
    : m_context(context), m_refreshNow(std::move(refreshNow)), m_tokens(caFile)
{}

Result<QJsonObject> OAuthSessionService::load(qint64 id)
{
    auto row = m_context.database.exec(
        QStringLiteral("SELECT %1 FROM %2 WHERE s.id = ?").arg(kSessionColumns, kSessionFrom), {id});
    if (!row)
        return row.error();
    if (!row->next())
        return ApiErrors::notFound(QStringLiteral("no OAuth session with id %1").arg(id));
    return sessionJson(*row);
}

Result<QJsonObject> OAuthSessionService::authorize(const Actor& actor, const QJsonObject& input)
{
    if (auto allowed = m_context.allow(actor, QStringLiteral("oauth.authorize"), {Permissions::kProviderKeysManage});
        !allowed)
        return allowed.error();
    JsonInput in(input);
    const auto configId = in.integer(QStringLiteral("configId"), JsonInput::Required, 1, 9'007'199'254'740'991);
    const auto name = in.text(QStringLiteral("name"), JsonInput::Required, 1, 200);
    if (auto error = in.error())
        return *error;
    auto config = flowConfig(m_context.database, *configId);
    if (!config)
        return config.error();
    if (auto free = ProviderKeyService::requireNameFree(m_context.database, config->providerTypeId, *name, 0); !free)
        return free.error();

    const QString state = Random::token(32);
    const QString verifier = Pkce::newVerifier();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 sessionId = 0;
    auto stored = m_context.database.transaction([&]() -> Result<void> {
        if (auto current = m_context.sealingKeyIsCurrent(); !current)
            return current;
        RowChanges row;
        row.set({}, QStringLiteral("status"), QStringLiteral("pending"));
        row.set({}, QStringLiteral("state_hash"), stateHash(state));
        row.set({}, QStringLiteral("oauth_config_id"), *configId);
        row.set({}, QStringLiteral("key_name"), *name);
        row.set({}, QStringLiteral("created_by"), createdBy(actor));
        row.set({}, QStringLiteral("created_at"), now);
        row.set({}, QStringLiteral("updated_at"), now);
        auto inserted = row.insertInto(m_context.database, QStringLiteral("oauth_sessions"));
        if (!inserted)
            return inserted.error();
        sessionId = *inserted;
        auto sealed = m_context.database.exec(
            QStringLiteral("UPDATE oauth_sessions SET code_verifier_ciphertext = ? WHERE id = ?"),
            {m_context.secrets.seal(verifier.toLatin1(), SealedColumns::kOAuthCodeVerifier.associatedData(sessionId)),
             sessionId});
        if (!sealed)
            return sealed.error();
        return m_context.audit.record(actor, QStringLiteral("oauth.authorize"), QStringLiteral("oauth_session"),
                                      QString::number(sessionId),
                                      {{QStringLiteral("configId"), *configId}, {QStringLiteral("name"), *name}});
    });
    if (!stored)
        return stored.error();

    TokenClient::Form params{{QStringLiteral("response_type"), QStringLiteral("code")},
                             {QStringLiteral("client_id"), config->clientId},
                             {QStringLiteral("redirect_uri"), config->redirectUri}};
    if (!config->scopes.isEmpty())
        params.append({QStringLiteral("scope"), config->scopes});
    params.append({QStringLiteral("state"), state});
    params.append({QStringLiteral("code_challenge"), Pkce::challenge(verifier)});
    params.append({QStringLiteral("code_challenge_method"), QStringLiteral("S256")});
    for (auto it = config->authorizeParams.begin(); it != config->authorizeParams.end(); ++it)
        params.append({it.key(), it.value().toString()});
    QUrl url(config->authorizeUrl);
    const QString query = QString::fromLatin1(TokenClient::encode(params));
    url.setQuery(url.hasQuery() ? url.query(QUrl::FullyEncoded) + u'&' + query : query, QUrl::StrictMode);
    return QJsonObject{{QStringLiteral("sessionId"), sessionId},
                       {QStringLiteral("authorizationUrl"), url.toString(QUrl::FullyEncoded)},
                       {QStringLiteral("expiresAt"), JsonValues::time(now + kAuthorizationTtlMs)}};
}

Result<void> OAuthSessionService::fail(const Actor& actor, qint64 sessionId, const QString& status,
                                       const QString& reason)
{
    return m_context.database.transaction([&]() -> Result<void> {
        auto updated = m_context.database.exec(
            QStringLiteral("UPDATE oauth_sessions SET status = ?, last_error = ?, state_hash = NULL, "
                           "code_verifier_ciphertext = NULL, updated_at = ? WHERE id = ?"),
            {status, reason, QDateTime::currentMSecsSinceEpoch(), sessionId});
        if (!updated)
            return updated.error();
        return m_context.audit.record(actor, QStringLiteral("oauth.exchange_failed"), QStringLiteral("oauth_session"),
                                      QString::number(sessionId), {{QStringLiteral("reason"), reason}});
    });
}

void OAuthSessionService::exchange(const Actor& actor, const QJsonObject& input, Done done)
{
    if (auto allowed = m_context.allow(actor, QStringLiteral("oauth.exchange"), {Permissions::kProviderKeysManage});
        !allowed)
        return done(allowed.error());
    JsonInput in(input);
    const auto callbackUrl = in.text(QStringLiteral("callbackUrl"), JsonInput::Optional, 1, 8000);
    auto code = in.text(QStringLiteral("code"), JsonInput::Optional, 1, 4000);
    auto state = in.text(QStringLiteral("state"), JsonInput::Optional, 1, 500);
    if (callbackUrl.has_value() == (code.has_value() || state.has_value()))
        in.addProblem(QStringLiteral("give either 'callbackUrl' or both 'code' and 'state'"));
    else if (!callbackUrl && !(code && state))
        in.addProblem(QStringLiteral("'code' and 'state' go together"));
    if (auto error = in.error())
        return done(*error);
    QString refusal;
    if (callbackUrl) {
        const QUrlQuery query(QUrl(*callbackUrl).query());
        code = query.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
        state = query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
        refusal = query.queryItemValue(QStringLiteral("error"), QUrl::FullyDecoded).left(100).simplified();
        if (state->isEmpty() || (code->isEmpty() && refusal.isEmpty()))
            return done(ApiErrors::invalid(QStringLiteral("'callbackUrl' carries no code and state: paste the whole "
                                                          "address the browser was sent to")));
    }

    // The state is used once: cleared as it is found, so a second exchange with it (a replayed callback) finds
    // nothing, on this instance or another.
    auto found = m_context.database.exec(
        QStringLiteral("SELECT id, oauth_config_id, key_name, code_verifier_ciphertext, created_at, created_by "
                       "FROM oauth_sessions WHERE state_hash = ? AND status = 'pending'"),
        {stateHash(*state)});
    if (!found)
        return done(found.error());
    if (!found->next() || found->value(5).toLongLong() != actor.userId)
        return done(unknownState());
    Pending pending;
    pending.sessionId = found->value(0).toLongLong();
    pending.configId = found->value(1).toLongLong();
    pending.keyName = found->value(2).toString();
    const QByteArray sealedVerifier = found->value(3).toByteArray();
    const qint64 createdAt = found->value(4).toLongLong();
    found->finish();
    auto claimed = m_context.database.exec(
        QStringLiteral("UPDATE oauth_sessions SET state_hash = NULL, updated_at = ? WHERE id = ? AND state_hash = ?"),
        {QDateTime::currentMSecsSinceEpoch(), pending.sessionId, stateHash(*state)});
    if (!claimed)
        return done(claimed.error());
    if (claimed->numRowsAffected() != 1)
        return done(unknownState());

    const auto failWith = [&](const QString& status, const QString& reason, const Error& error) {
        if (auto recorded = fail(actor, pending.sessionId, status, reason); !recorded)
            return done(recorded.error());
        done(error);
    };
    if (!refusal.isEmpty()) {
        const QString reason = QStringLiteral("the authorization was refused: %1").arg(refusal);
        return failWith(QStringLiteral("error"), reason, ApiErrors::invalid(reason));
    }
    if (QDateTime::currentMSecsSinceEpoch() - createdAt > kAuthorizationTtlMs) {
        const QString reason = QStringLiteral("the authorization expired (it lasts %1 minutes): start it again")
                                   .arg(kAuthorizationTtlMs / kMinuteMs);
        return failWith(QStringLiteral("expired"), reason, ApiErrors::invalid(reason));
    }
    auto config = flowConfig(m_context.database, pending.configId);
    if (!config)
        return failWith(QStringLiteral("error"), config.error().message, config.error());
    pending.providerTypeId = config->providerTypeId;
    pending.requestedScopes = config->scopes;
    auto verifier =
        m_context.secrets.open(sealedVerifier, SealedColumns::kOAuthCodeVerifier.associatedData(pending.sessionId));
    if (!verifier)
        return failWith(QStringLiteral("error"), QStringLiteral("the PKCE verifier cannot be decrypted"),
                        verifier.error());

    TokenClient::Form form{{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                           {QStringLiteral("code"), *code},
                           {QStringLiteral("redirect_uri"), config->redirectUri},
                           {QStringLiteral("client_id"), config->clientId},
                           {QStringLiteral("code_verifier"), QString::fromLatin1(verifier->data(), verifier->size())}};
    if (!config->sealedClientSecret.isEmpty()) {
        auto secret = m_context.secrets.open(config->sealedClientSecret,
                                             SealedColumns::kOAuthClientSecret.associatedData(pending.configId));
        if (!secret)
            return failWith(QStringLiteral("error"), QStringLiteral("the client secret cannot be decrypted"),
                            secret.error());
        form.append({QStringLiteral("client_secret"), QString::fromUtf8(secret->data(), secret->size())});
    }
    for (auto it = config->tokenParams.begin(); it != config->tokenParams.end(); ++it)
        form.append({it.key(), it.value().toString()});
    m_tokens.request(QUrl(config->tokenUrl), form, [this, actor, pending, done](Result<TokenGrant> grant) {
        finishExchange(actor, pending, std::move(grant), done);
    });
}

void OAuthSessionService::finishExchange(const Actor& actor, const Pending& pending, Result<TokenGrant> grant,
                                         const Done& done)
{
    if (!grant) {
        const bool rejected = grant.error().code == QLatin1String("oauth_rejected");
        const QString reason =
            rejected ? QStringLiteral("the authorization server rejected the code: %1").arg(grant.error().message)
                     : grant.error().message;
        qCInfo(lcOAuth).noquote() << "OAuth session" << pending.sessionId << "not connected:" << reason;
        if (auto recorded = fail(actor, pending.sessionId, QStringLiteral("error"), reason); !recorded)
            return done(recorded.error());
        return done(rejected ? ApiErrors::invalid(reason) : ApiErrors::badGateway(reason));
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 keyId = 0;
    auto connected = m_context.commit(actor, [&]() -> Result<AuditEntry> {
        if (auto current = m_context.sealingKeyIsCurrent(); !current)
            return current.error();
        if (auto free =
                ProviderKeyService::requireNameFree(m_context.database, pending.providerTypeId, pending.keyName, 0);
            !free)
            return free.error();
        RowChanges row;
        row.set({}, QStringLiteral("provider_type_id"), pending.providerTypeId);
        row.set({}, QStringLiteral("name"), pending.keyName);
        row.set({}, QStringLiteral("auth_kind"), QStringLiteral("oauth"));
        row.set({}, QStringLiteral("created_by"), createdBy(actor));
        row.set({}, QStringLiteral("created_at"), now);
        row.set({}, QStringLiteral("updated_at"), now);
        auto key = row.insertInto(m_context.database, QStringLiteral("provider_keys"));
        if (!key)
            return key.error();
        keyId = *key;
        const qint64 id = pending.sessionId;
        const QVariant refresh =
            grant->refreshToken.isEmpty()
                ? JsonValues::nullText()
                : QVariant(m_context.secrets.seal(grant->refreshToken.toUtf8(),
                                                  SealedColumns::kOAuthRefreshToken.associatedData(id)));
        auto session = m_context.database.exec(
            QStringLiteral("UPDATE oauth_sessions SET provider_key_id = ?, status = 'active', "
                           "access_token_ciphertext = ?, refresh_token_ciphertext = ?, expires_at = ?, "
                           "scope = COALESCE(?, ''), "
                           "last_refresh_at = ?, last_error = NULL, code_verifier_ciphertext = NULL, updated_at = ? "
                           "WHERE id = ?"),
            {keyId,
             m_context.secrets.seal(grant->accessToken.toUtf8(), SealedColumns::kOAuthAccessToken.associatedData(id)),
             refresh,
             grant->expiresInSeconds > 0 ? QVariant(now + grant->expiresInSeconds * 1000) : JsonValues::nullInteger(),
             grant->scope.isEmpty() ? pending.requestedScopes : grant->scope, now, now, id});
        if (!session)
            return session.error();
        return AuditEntry{QStringLiteral("oauth.connect"),
                          QStringLiteral("provider_key"),
                          keyId,
                          {{QStringLiteral("sessionId"), pending.sessionId},
                           {QStringLiteral("configId"), pending.configId},
                           {QStringLiteral("name"), pending.keyName}}};
    });
    if (!connected) {
        if (auto recorded = fail(actor, pending.sessionId, QStringLiteral("error"), connected.error().message);
            !recorded)
            return done(recorded.error());
        return done(connected.error());
    }
    qCInfo(lcOAuth).noquote() << "OAuth session" << pending.sessionId << "connected as provider key" << keyId;
    done(load(pending.sessionId));
}

Result<QJsonObject> OAuthSessionService::list(const Actor& actor, const QUrlQuery& query)
{
    if (auto allowed = m_context.allow(actor, QStringLiteral("oauth.list"),
                                       {Permissions::kProviderKeysView, Permissions::kProviderKeysManage});
        !allowed)
        return allowed.error();
    return ListQuery::page(m_context.database, query,
                           {.columns = kSessionColumns,
                            .from = kSessionFrom,
                            .toJson = sessionJson,
                            .sortColumns = {{QStringLiteral("createdAt"), QStringLiteral("s.created_at")},
                                            {QStringLiteral("id"), QStringLiteral("s.id")}},
                            .defaultSort = QStringLiteral("-createdAt"),
                            .idColumn = QStringLiteral("s.id"),
                            .idFilters = {{QStringLiteral("configId"), QStringLiteral("s.oauth_config_id")}},
                            .textFilters = {{QStringLiteral("status"), QStringLiteral("s.status")}}});
}

void OAuthSessionService::refresh(const Actor& actor, qint64 id, Done done)
{
    auto session = m_context.allowedRow(actor, QStringLiteral("oauth.refresh"), {Permissions::kProviderKeysManage},
                                        [&] { return load(id); });
    if (!session)
        return done(session.error());
    const QString status = session->value(QLatin1String("status")).toString();
    if (status != QLatin1String("active"))
        return done(ApiErrors::conflict(
            QStringLiteral("OAuth session %1 is %2: only an active session refreshes (connect the account again)")
                .arg(id)
                .arg(status)));
    if (auto audited = m_context.audit.record(actor, QStringLiteral("oauth.refresh"), QStringLiteral("oauth_session"),
                                              QString::number(id));
        !audited)
        return done(audited.error());
    const qint64 keyId = session->value(QLatin1String("providerKeyId")).toInteger();
    m_refreshNow(id, keyId, [this, id, done](bool refreshed) {
        auto now = load(id);
        if (!now || refreshed)
            return done(now);
        done(ApiErrors::badGateway(
            QStringLiteral("the token was not refreshed: %1").arg(now->value(QLatin1String("lastError")).toString())));
    });
}

void OAuthSessionService::revoke(const Actor& actor, qint64 id, Done done)
{
    if (auto allowed = m_context.allow(actor, QStringLiteral("oauth.revoke"), {Permissions::kProviderKeysManage});
        !allowed)
        return done(allowed.error());
    auto row = m_context.database.exec(
        QStringLiteral("SELECT s.status, s.provider_key_id, s.refresh_token_ciphertext, s.access_token_ciphertext, "
                       "c.id, c.revoke_url, c.client_id, c.client_secret_ciphertext FROM oauth_sessions s "
                       "LEFT JOIN oauth_configs c ON c.id = s.oauth_config_id WHERE s.id = ?"),
        {id});
    if (!row)
        return done(row.error());
    if (!row->next())
        return done(ApiErrors::notFound(QStringLiteral("no OAuth session with id %1").arg(id)));
    const QString status = row->value(0).toString();
    const qint64 keyId = row->value(1).toLongLong();
    const bool refreshSealed = !row->value(2).isNull();
    const QByteArray sealed = refreshSealed ? row->value(2).toByteArray() : row->value(3).toByteArray();
    const qint64 configId = row->value(4).toLongLong();
    const QString revokeUrl = row->value(5).toString();
    const QString clientId = row->value(6).toString();
    const QByteArray sealedSecret = row->value(7).toByteArray();
    row->finish();
    if (status == QLatin1String("revoked"))
        return done(ApiErrors::conflict(QStringLiteral("OAuth session %1 is revoked already").arg(id)));
    if (revokeUrl.isEmpty() || sealed.isEmpty())
        return finishRevoke(actor, id, keyId, Error::make(QStringLiteral("no_revocation"), QString()), done);

    auto token = m_context.secrets.open(sealed, refreshSealed ? SealedColumns::kOAuthRefreshToken.associatedData(id)
                                                              : SealedColumns::kOAuthAccessToken.associatedData(id));
    if (!token)
        return finishRevoke(actor, id, keyId,
                            Error::make(token.error().code, QStringLiteral("the token cannot be "
                                                                           "decrypted")),
                            done);
    TokenClient::Form form{{QStringLiteral("token"), QString::fromUtf8(token->data(), token->size())},
                           {QStringLiteral("token_type_hint"),
                            refreshSealed ? QStringLiteral("refresh_token") : QStringLiteral("access_token")},
                           {QStringLiteral("client_id"), clientId}};
    if (!sealedSecret.isEmpty()) {
        if (auto secret =
                m_context.secrets.open(sealedSecret, SealedColumns::kOAuthClientSecret.associatedData(configId)))
            form.append({QStringLiteral("client_secret"), QString::fromUtf8(secret->data(), secret->size())});
    }
    m_tokens.revoke(QUrl(revokeUrl), form, [this, actor, id, keyId, done](Result<void> atProvider) {
        finishRevoke(actor, id, keyId, atProvider, done);
    });
}

void OAuthSessionService::finishRevoke(const Actor& actor, qint64 id, qint64 keyId, const Result<void>& atProvider,
                                       const Done& done)
{
    const bool asked = atProvider || atProvider.error().code != QLatin1String("no_revocation");
    const QString providerError = atProvider ? QString() : atProvider.error().message;
    auto revoked = m_context.commit(actor, [&]() -> Result<AuditEntry> {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        auto session = m_context.database.exec(
            QStringLiteral("UPDATE oauth_sessions SET status = 'revoked', access_token_ciphertext = NULL, "
                           "refresh_token_ciphertext = NULL, code_verifier_ciphertext = NULL, state_hash = NULL, "
                           "refresh_lease_until = NULL, updated_at = ? WHERE id = ?"),
            {now, id});
        if (!session)
            return session.error();
        if (keyId > 0) {
            // As a deleted provider key: out of every pool at once.
            auto key = m_context.database.exec(
                QStringLiteral("UPDATE provider_keys SET deleted_at = ?, updated_at = ? WHERE id = ?"),
                {now, now, keyId});
            if (!key)
                return key.error();
            auto unpooled = m_context.database.exec(
                QStringLiteral("DELETE FROM gateway_key_pool WHERE provider_key_id = ?"), {keyId});
            if (!unpooled)
                return unpooled.error();
        }
        QJsonObject details{{QStringLiteral("providerKeyId"), keyId},
                            {QStringLiteral("revokedAtProvider"), bool(atProvider)}};
        if (asked && !atProvider)
            details.insert(QStringLiteral("providerError"), providerError);
        return AuditEntry{QStringLiteral("oauth.revoke"), QStringLiteral("oauth_session"), id, details};
    });
    if (!revoked)
        return done(revoked.error());
    auto session = load(id);
    if (!session)
        return done(session);
    session->insert(QStringLiteral("revokedAtProvider"), bool(atProvider));
    if (asked && !atProvider)
        session->insert(QStringLiteral("providerError"), providerError);
    done(session);
}

Result<int> OAuthSessionService::expireAbandoned()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto expired = m_context.database.exec(
        QStringLiteral("UPDATE oauth_sessions SET status = 'expired', state_hash = NULL, code_verifier_ciphertext = "
                       "NULL, last_error = 'the authorization was not finished in time', updated_at = ? "
                       "WHERE status = 'pending' AND created_at < ?"),
        {now, now - kAuthorizationTtlMs});
    if (!expired)
        return expired.error();
    return expired->numRowsAffected();
}
