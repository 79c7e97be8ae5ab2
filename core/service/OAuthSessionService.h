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
// and no log line carries them. provider_keys:manage to connect, provider_keys:view to list.
class OAuthSessionService
{
public:
    static constexpr qint64 kAuthorizationTtlMs = 10 * kMinuteMs;
    using Done = std::function<void(Result<QJsonObject>)>;

    OAuthSessionService(ServiceContext& context, const QString& caFile);

    // {"configId", "name" (of the provider key it will become)} -> {"sessionId", "authorizationUrl", "expiresAt"}
    Result<QJsonObject> authorize(const Actor& actor, const QJsonObject& input);
    // {"callbackUrl": the whole URL the browser was sent to} or {"code", "state"}; `done` gets the session, now
    // active, with its providerKeyId. Errors: invalid_argument for a state that is unknown, used or not the caller's,
    // an expired authorization, a refusal by the user or a code the server rejects; bad_gateway when the token
    // endpoint gave no usable answer. Calls `done` once, from the event loop, unless the service goes away first.
    void exchange(const Actor& actor, const QJsonObject& input, Done done);
    // Filters: status, configId; sort: createdAt, id.
    Result<QJsonObject> list(const Actor& actor, const QUrlQuery& query);

private:
    struct Pending;
    void finishExchange(const Actor& actor, const Pending& pending, Result<TokenGrant> grant, const Done& done);
    Result<QJsonObject> load(qint64 id);
    Result<void> fail(const Actor& actor, qint64 sessionId, const QString& status, const QString& reason);

    ServiceContext& m_context;
    TokenClient m_tokens; // last: destroyed first, so no answer arrives into a half-destroyed service
};
