#pragma once

#include "common/Durations.h"
#include "common/Result.h"
#include "health/KeyClock.h"
#include "oauth/TokenClient.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <functional>
#include <optional>

class Database;
class RoutingStore;
class SecretBox;

// Keeps the access tokens of OAuth accounts fresh (docs/oauth.md): each is refreshed before it expires (jittered,
// with backoff while the token endpoint fails) and at once when a provider refused a proxied request with it. One
// refresh at a time per account: requests that want one meanwhile wait for the same refresh, and instances sharing a
// database leave it to the one holding the session's lease. New tokens are stored before they are used, so a
// rotated refresh token is not lost to a crash. A refresh the server refuses (invalid_grant, invalid_client) marks
// the key invalid with the reason, and is audited. Lives on the main thread; requestRefresh() is thread-safe.
class OAuthRefresher : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kMarginMs = 5 * kMinuteMs; // before expiry; at most half the token's lifetime
    static constexpr qint64 kLeaseMs = TokenClient::kTimeoutMs + 5'000;
    static constexpr qint64 kFirstRetryMs = 30'000;
    static constexpr qint64 kLastRetryMs = 10 * kMinuteMs;

    // `routingChanged` after a change to the sessions: rebuilds the routing snapshot, here and on every instance.
    // `sealingKeyIsCurrent`: fails when the master key was rotated and this instance cannot follow (ServiceContext).
    OAuthRefresher(Database& database, const SecretBox& secrets, RoutingStore& routing, const KeyClock& clock,
                   const QString& caFile, std::function<void()> routingChanged,
                   std::function<Result<void>()> sealingKeyIsCurrent);
    ~OAuthRefresher() override;

    // From any thread: the provider refused a request made with `rejectedToken`, the access token of OAuth key
    // `keyId`. Refreshes it, unless the routing snapshot holds another token for the key already.
    // refreshEnded(keyId) follows either way.
    void requestRefresh(qint64 keyId, const QByteArray& rejectedToken);
    // Refreshes the session's token now, whatever its expiry and backoff say (an admin asked); `done` says whether
    // the routing snapshot then holds a new token. Main thread only.
    void refreshNow(qint64 sessionId, qint64 keyId, std::function<void(bool refreshed)> done);
    // Sets the timer for the next refresh that falls due; call after the sessions may have changed.
    void schedule();

signals:
    // The refresh that requestRefresh() asked for is over: `refreshed` when the routing snapshot now holds a new token
    // for the key.
    void refreshEnded(qint64 keyId, bool refreshed);

private:
    struct Refreshable
    {
        qint64 sessionId;
        qint64 keyId;
        qint64 dueMs; // its expiry's margin, or its backoff if later
    };
    // The sessions with a token to refresh, or nothing when the database cannot say (logged after `failure`).
    std::optional<QList<Refreshable>> refreshable(const char* failure);
    void refreshDue();
    // `rejectedToken`: the access token a provider refused, when a request asked; empty for a scheduled refresh.
    void refresh(qint64 sessionId, qint64 keyId, const QByteArray& rejectedToken);
    void awaitOtherInstance(qint64 sessionId, qint64 keyId, qint64 refreshedBefore, qint64 leaseUntil);
    // `lease`: the lease this refresh holds (its end, in ms), which its writes name.
    void stored(qint64 sessionId, qint64 keyId, qint64 lease, Result<TokenGrant> grant, const QByteArray& refreshToken);
    void refused(qint64 sessionId, qint64 keyId, qint64 lease, const QString& reason);
    void postponed(qint64 sessionId, qint64 keyId, qint64 lease, const QString& reason);
    void ended(qint64 keyId, bool refreshed);

    Database& m_database;
    const SecretBox& m_secrets;
    RoutingStore& m_routing;
    const KeyClock& m_clock;
    std::function<void()> m_routingChanged;
    std::function<Result<void>()> m_sealingKeyIsCurrent;
    QTimer m_timer;
    QSet<qint64> m_refreshing;         // sessions with a refresh out from here
    QHash<qint64, int> m_failures;     // session -> failed refreshes in a row (the token endpoint unavailable)
    QHash<qint64, qint64> m_retryAtMs; // session -> not before then
    TokenClient m_tokens;              // last: destroyed first, so no answer arrives into a half-destroyed refresher
};
