#pragma once

#include "common/Actor.h"
#include "common/Durations.h"
#include "common/Result.h"
#include "oauth/TokenClient.h"
#include "service/ServiceContext.h"

#include <QJsonObject>
#include <QUrlQuery>

#include <functional>

// Connecting provider accounts with OAuth 2.0 (docs/oauth.md). authorize() starts a session: a pending row with the
// hash of its state and its sealed PKCE verifier, and the URL the user opens. exchange() takes the code the provider
// sent to the redirect URI, uses the state once, trades the code with the verifier for tokens, and turns the session
// into an 'oauth' provider key. Tokens and the verifier are sealed under "oauth_session:<id>:<column>"; no answer
// and no log line carries them. provider_keys:manage to connect, refresh and revoke, provider_keys:view to list.
class OAuthSessionService
{
public:
    static constexpr qint64 kAuthorizationTtlMs = 10 * kMinuteMs;
    using Done = std::function<void(Result<QJsonObject>)>;
    // Refreshes a session's token now (proxy/OAuthRefresher::refreshNow): whether the proxy then uses a new one.
    using RefreshNow = std::function<void(qint64 sessionId, qint64 keyId, std::function<void(bool refreshed)> done)>;

    OAuthSessionService(ServiceContext& context, const QString& caFile, RefreshNow refreshNow);

    // {"configId", "name" (of the provider key it will become)} -> {"sessionId", "authorizationUrl", "expiresAt"}
    Result<QJsonObject> authorize(const Actor& actor, const QJsonObject& input);
    // {"callbackUrl": the whole URL the browser was sent to} or {"code", "state"}; `done` gets the session, now
    // active, with its providerKeyId. Errors: invalid_argument for a state that is unknown, used or not the caller's,
    // an expired authorization, a refusal by the user or a code the server rejects; bad_gateway when the token
    // endpoint gave no usable answer. Calls `done` once, from the event loop, unless the service goes away first.
    void exchange(const Actor& actor, const QJsonObject& input, Done done);
    // Filters: status, configId; sort: createdAt, id.
    Result<QJsonObject> list(const Actor& actor, const QUrlQuery& query);
    // An active session's token refreshed now; `done` gets the session, or bad_gateway with the reason it was not.
    void refresh(const Actor& actor, qint64 id, Done done);
    // Ends a session: the provider's revocation endpoint is asked to revoke its refresh token (where there is one),
    // its tokens are erased and its provider key deleted, whatever the provider answered; `done` gets the session
    // with "revokedAtProvider" and, when that failed, "providerError".
    void revoke(const Actor& actor, qint64 id, Done done);
    // Authorizations left unfinished past their 10 minutes turn expired, their verifier erased: how many.
    Result<int> expireAbandoned();

private:
    struct Pending;
    void finishExchange(const Actor& actor, const Pending& pending, Result<TokenGrant> grant, const Done& done);
    Result<QJsonObject> load(qint64 id);
    Result<void> fail(const Actor& actor, qint64 sessionId, const QString& status, const QString& reason);
    void finishRevoke(const Actor& actor, qint64 id, qint64 keyId, const Result<void>& atProvider, const Done& done);

    ServiceContext& m_context;
    RefreshNow m_refreshNow;
    TokenClient m_tokens; // last: destroyed first, so no answer arrives into a half-destroyed service
};
