#include "proxy/OAuthRefresher.h"

#include "common/Actor.h"
#include "common/Logging.h"
#include "crypto/SecretBox.h"
#include "health/KeyState.h"
#include "proxy/RoutingStore.h"
#include "storage/AuditLog.h"
#include "storage/ChangeCounter.h"
#include "storage/Database.h"
#include "storage/SealedColumns.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A session's refresh falls due a margin before its token expires, less a jitter of up to a fifth of the margin
// (from its id and last refresh, so instances agree), so that accounts connected together do not refresh together.
qint64 dueAt(qint64 sessionId, qint64 expiresAt, qint64 lastRefreshAt)
{
    const qint64 lifetime = qMax<qint64>(0, expiresAt - lastRefreshAt);
    const qint64 margin = qMin(OAuthRefresher::kMarginMs, lifetime / 2);
    const qint64 jitter = qint64(qHash(QByteArray::number(sessionId) + ':' + QByteArray::number(lastRefreshAt)) %
                                 quint64(margin / 5 + 1));
    return expiresAt - margin - jitter;
}

Actor refresherActor()
{
    Actor actor;
    actor.username = QStringLiteral("gatehouse (OAuth refresh)");
    actor.clientAddress = QStringLiteral("local");
    return actor;
}

} // namespace

OAuthRefresher::OAuthRefresher(Database& database, const SecretBox& secrets, RoutingStore& routing,
                               const KeyClock& clock, const QString& caFile, std::function<void()> routingChanged,
                               std::function<Result<void>()> sealingKeyIsCurrent)
    : m_database(database), m_secrets(secrets), m_routing(routing), m_clock(clock),
      m_routingChanged(std::move(routingChanged)), m_sealingKeyIsCurrent(std::move(sealingKeyIsCurrent)),
      m_tokens(caFile)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &OAuthRefresher::refreshDue);
}

OAuthRefresher::~OAuthRefresher() = default;

void OAuthRefresher::requestRefresh(qint64 keyId, const QByteArray& rejectedToken)
{
    QMetaObject::invokeMethod(
        this,
        [this, keyId, rejectedToken] {
            const KeyCredential credential = m_routing.current()->providerCredentials.value(keyId);
            if (!credential.isOAuth())
                return emit refreshEnded(keyId, false);
            if (credential.secret != rejectedToken) // refreshed since the request took its token
                return emit refreshEnded(keyId, true);
            // While the token endpoint is backed off, a refused token does not call it again: a provider that refuses
            // every token would otherwise be asked as often as requests and probes come.
            if (m_retryAtMs.value(credential.oauthSessionId, 0) > nowMs())
                return emit refreshEnded(keyId, false);
            refresh(credential.oauthSessionId, keyId, rejectedToken);
        },
        Qt::QueuedConnection);
}

void OAuthRefresher::refreshNow(qint64 sessionId, qint64 keyId, std::function<void(bool refreshed)> done)
{
    // Connected first: a refresh that cannot start ends at once, inside refresh().
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(this, &OAuthRefresher::refreshEnded, this,
                          [connection, keyId, done = std::move(done)](qint64 endedFor, bool refreshed) {
                              if (endedFor != keyId)
                                  return;
                              QObject::disconnect(*connection);
                              done(refreshed);
                          });
    refresh(sessionId, keyId, {});
}

std::optional<QList<OAuthRefresher::Refreshable>> OAuthRefresher::refreshable(const char* failure)
{
    auto rows = m_database.exec(QStringLiteral(
        "SELECT id, provider_key_id, expires_at, last_refresh_at FROM oauth_sessions WHERE status = 'active' AND "
        "expires_at IS NOT NULL AND refresh_token_ciphertext IS NOT NULL AND provider_key_id IS NOT NULL"));
    if (!rows) {
        qCWarning(lcOAuth).noquote() << failure << rows.error().message;
        return std::nullopt;
    }
    QList<Refreshable> sessions;
    while (rows->next()) {
        const qint64 id = rows->value(0).toLongLong();
        sessions.append(
            {id, rows->value(1).toLongLong(),
             qMax(dueAt(id, rows->value(2).toLongLong(), rows->value(3).toLongLong()), m_retryAtMs.value(id, 0))});
    }
    return sessions;
}

void OAuthRefresher::schedule()
{
    const auto sessions = refreshable("OAuth refreshes not scheduled:");
    if (!sessions)
        return;
    qint64 next = std::numeric_limits<qint64>::max();
    for (const Refreshable& session : *sessions) {
        if (!m_refreshing.contains(session.sessionId))
            next = qMin(next, session.dueMs);
    }
    if (next == std::numeric_limits<qint64>::max()) {
        m_timer.stop();
        return;
    }
    m_timer.start(int(qBound<qint64>(0, next - nowMs(), kMinuteMs * 60))); // at least hourly: clocks drift
}

void OAuthRefresher::refreshDue()
{
    const auto sessions = refreshable("OAuth refreshes not started:");
    if (!sessions)
        return;
    const qint64 now = nowMs();
    for (const Refreshable& session : *sessions) {
        if (session.dueMs <= now)
            refresh(session.sessionId, session.keyId, {});
    }
    schedule();
}

void OAuthRefresher::refresh(qint64 sessionId, qint64 keyId, const QByteArray& rejectedToken)
{
    if (m_refreshing.contains(sessionId))
        return; // its end is signalled to every request waiting for it
    // Read before the claim: another instance that refreshes and lets go between the claim and a later read would
    // otherwise look as if it had done nothing.
    auto before =
        m_database.exec(QStringLiteral("SELECT last_refresh_at FROM oauth_sessions WHERE id = ?"), {sessionId});
    const qint64 refreshedBefore = before && before->next() ? before->value(0).toLongLong() : 0;
    if (before)
        before->finish();
    const qint64 now = nowMs();
    // The lease's end is also its mark: every write of this refresh names it, so a session revoked, deleted or taken
    // over meanwhile is left as it is.
    const qint64 lease = now + kLeaseMs;
    auto claimed = m_database.exec(
        QStringLiteral("UPDATE oauth_sessions SET refresh_lease_until = ? WHERE id = ? AND status = 'active' AND "
                       "(refresh_lease_until IS NULL OR refresh_lease_until < ?)"),
        {lease, sessionId, now});
    if (!claimed)
        return postponed(sessionId, keyId, 0, claimed.error().message);
    if (claimed->numRowsAffected() != 1) {
        auto row = m_database.exec(QStringLiteral("SELECT status FROM oauth_sessions WHERE id = ?"), {sessionId});
        if (!row || !row->next() || row->value(0).toString() != QLatin1String("active"))
            return emit refreshEnded(keyId, false);
        // However far the other instance's clock runs ahead, this one waits a lease's length at most.
        return awaitOtherInstance(sessionId, keyId, refreshedBefore, now + kLeaseMs);
    }
    m_refreshing.insert(sessionId);
    const auto giveUp = [&](const QString& reason) {
        m_refreshing.remove(sessionId);
        postponed(sessionId, keyId, lease, reason);
    };
    // After a master key rotation this instance follows the new key first, or leaves the account alone.
    if (auto current = m_sealingKeyIsCurrent(); !current)
        return giveUp(current.error().message);

    auto row = m_database.exec(
        QStringLiteral("SELECT s.refresh_token_ciphertext, c.id, c.token_url, c.client_id, c.client_secret_ciphertext, "
                       "c.token_params, s.access_token_ciphertext FROM oauth_sessions s "
                       "JOIN oauth_configs c ON c.id = s.oauth_config_id WHERE s.id = ?"),
        {sessionId});
    if (!row || !row->next())
        return giveUp(row ? QStringLiteral("the session is gone") : row.error().message);
    const QByteArray sealedRefresh = row->value(0).toByteArray();
    const qint64 configId = row->value(1).toLongLong();
    const QUrl tokenUrl(row->value(2).toString());
    const QString clientId = row->value(3).toString();
    const QByteArray sealedSecret = row->value(4).toByteArray();
    const QJsonObject params = QJsonDocument::fromJson(row->value(5).toString().toUtf8()).object();
    const QByteArray sealedAccess = row->value(6).toByteArray();
    row->finish();
    if (!rejectedToken.isEmpty()) {
        // Another instance may have refreshed it before this one's routing snapshot heard of it: then its token is
        // the answer, and the refresh token is not spent twice.
        auto stored = m_secrets.open(sealedAccess, SealedColumns::kOAuthAccessToken.associatedData(sessionId));
        if (stored && stored->view() != QByteArrayView(rejectedToken)) {
            m_refreshing.remove(sessionId);
            (void)m_database.exec(QStringLiteral("UPDATE oauth_sessions SET refresh_lease_until = NULL "
                                                 "WHERE id = ? AND refresh_lease_until = ?"),
                                  {sessionId, lease});
            m_routingChanged();
            return ended(keyId, true);
        }
    }

    if (sealedRefresh.isEmpty()) {
        m_refreshing.remove(sessionId);
        return refused(sessionId, keyId, lease, QStringLiteral("the account has no refresh token: connect it again"));
    }
    auto refreshToken = m_secrets.open(sealedRefresh, SealedColumns::kOAuthRefreshToken.associatedData(sessionId));
    if (!refreshToken)
        return giveUp(QStringLiteral("its refresh token cannot be decrypted with this instance's master key"));
    TokenClient::Form form{
        {QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
        {QStringLiteral("refresh_token"), QString::fromUtf8(refreshToken->data(), refreshToken->size())},
        {QStringLiteral("client_id"), clientId}};
    if (!sealedSecret.isEmpty()) {
        auto secret = m_secrets.open(sealedSecret, SealedColumns::kOAuthClientSecret.associatedData(configId));
        if (!secret)
            return giveUp(QStringLiteral("the client secret cannot be decrypted with this instance's master key"));
        form.append({QStringLiteral("client_secret"), QString::fromUtf8(secret->data(), secret->size())});
    }
    for (auto it = params.begin(); it != params.end(); ++it)
        form.append({it.key(), it.value().toString()});
    const QByteArray previous = refreshToken->view().toByteArray();
    m_tokens.request(tokenUrl, form, [this, sessionId, keyId, lease, previous](Result<TokenGrant> grant) {
        m_refreshing.remove(sessionId);
        stored(sessionId, keyId, lease, std::move(grant), previous);
    });
}

void OAuthRefresher::awaitOtherInstance(qint64 sessionId, qint64 keyId, qint64 refreshedBefore, qint64 leaseUntil)
{
    m_refreshing.insert(sessionId);
    QTimer::singleShot(250, this, [this, sessionId, keyId, refreshedBefore, leaseUntil] {
        auto row = m_database.exec(
            QStringLiteral("SELECT status, last_refresh_at, refresh_lease_until FROM oauth_sessions WHERE id = ?"),
            {sessionId});
        const bool found = row && row->next();
        const bool active = found && row->value(0).toString() == QLatin1String("active");
        const bool refreshed = active && row->value(1).toLongLong() > refreshedBefore;
        const bool leased = active && !row->value(2).isNull() && nowMs() <= leaseUntil;
        // A lease let go without a refresh (the other instance gave up) ends the wait too.
        if (!refreshed && leased)
            return awaitOtherInstance(sessionId, keyId, refreshedBefore, leaseUntil);
        m_refreshing.remove(sessionId);
        if (refreshed)
            m_routingChanged();
        ended(keyId, refreshed);
    });
}

void OAuthRefresher::stored(qint64 sessionId, qint64 keyId, qint64 lease, Result<TokenGrant> grant,
                            const QByteArray& refreshToken)
{
    if (!grant) {
        if (TokenClient::isFinal(grant.error()))
            return refused(sessionId, keyId, lease,
                           QStringLiteral("the provider refused to refresh the token: %1").arg(grant.error().message));
        return postponed(sessionId, keyId, lease, grant.error().message);
    }
    const qint64 now = nowMs();
    // Before any request uses the new access token: a provider that rotates refresh tokens has just revoked the old
    // one, and the new one exists nowhere else.
    const QByteArray newRefresh = grant->refreshToken.isEmpty() ? refreshToken : grant->refreshToken.toUtf8();
    bool current = true;
    auto saved = m_database.transaction([&]() -> Result<void> {
        if (auto sealing = m_sealingKeyIsCurrent(); !sealing)
            return sealing;
        auto updated = m_database.exec(
            QStringLiteral("UPDATE oauth_sessions SET access_token_ciphertext = ?, refresh_token_ciphertext = ?, "
                           "expires_at = ?, scope = COALESCE(NULLIF(?, ''), scope), last_refresh_at = ?, "
                           "last_error = NULL, refresh_lease_until = NULL, updated_at = ? "
                           "WHERE id = ? AND status = 'active' AND refresh_lease_until = ?"),
            {m_secrets.seal(grant->accessToken.toUtf8(), SealedColumns::kOAuthAccessToken.associatedData(sessionId)),
             m_secrets.seal(newRefresh, SealedColumns::kOAuthRefreshToken.associatedData(sessionId)),
             grant->expiresInSeconds > 0 ? QVariant(now + grant->expiresInSeconds * 1000)
                                         : QVariant(QMetaType(QMetaType::LongLong)),
             grant->scope, now, now, sessionId, lease});
        if (!updated)
            return updated.error();
        current = updated->numRowsAffected() == 1;
        return current ? ChangeCounter(m_database).add() : Result<void>();
    });
    if (!saved)
        return postponed(sessionId, keyId, lease,
                         QStringLiteral("the new tokens could not be stored: %1").arg(saved.error().message));
    if (!current) {
        // Revoked, deleted, or its lease outlived by a slow answer and taken over: the session is no longer this
        // refresh's to write. The tokens it got are dropped unused.
        LogLine(lcOAuth(), QtWarningMsg, u"OAuth tokens dropped: the session changed while they were refreshed")
            .field("session_id", sessionId)
            .field("key_id", keyId);
        return ended(keyId, false);
    }
    m_failures.remove(sessionId);
    m_retryAtMs.remove(sessionId);
    LogLine(lcOAuth(), QtInfoMsg, u"OAuth token refreshed")
        .field("session_id", sessionId)
        .field("key_id", keyId)
        .field("expires_in_s", grant->expiresInSeconds)
        .field("rotated", !grant->refreshToken.isEmpty());
    m_routingChanged();
    ended(keyId, true);
}

void OAuthRefresher::refused(qint64 sessionId, qint64 keyId, qint64 lease, const QString& reason)
{
    const qint64 now = nowMs();
    bool current = true;
    auto saved = m_database.transaction([&]() -> Result<void> {
        auto session = m_database.exec(
            QStringLiteral("UPDATE oauth_sessions SET status = 'error', last_error = ?, refresh_lease_until = NULL, "
                           "updated_at = ? WHERE id = ? AND status = 'active' AND refresh_lease_until = ?"),
            {reason, now, sessionId, lease});
        if (!session)
            return session.error();
        current = session->numRowsAffected() == 1;
        if (!current)
            return {}; // revoked or taken over meanwhile: not this refresh's to judge
        auto key = m_database.exec(
            QStringLiteral("UPDATE provider_keys SET health_status = 'invalid', invalid_reason = ? WHERE id = ?"),
            {reason, keyId});
        if (!key)
            return key.error();
        if (auto audited = AuditLog(m_database)
                               .record(refresherActor(), QStringLiteral("oauth.refresh_failed"),
                                       QStringLiteral("provider_key"), QString::number(keyId),
                                       {{QStringLiteral("sessionId"), sessionId}, {QStringLiteral("reason"), reason}});
            !audited)
            return audited;
        return ChangeCounter(m_database).add();
    });
    if (!saved) {
        qCWarning(lcOAuth).noquote() << "OAuth session" << sessionId
                                     << "failure not recorded:" << saved.error().message;
        m_retryAtMs.insert(sessionId, now + kFirstRetryMs); // not again at once
        return ended(keyId, false);
    }
    if (!current)
        return ended(keyId, false);
    if (const auto state = m_routing.keyStates().value(keyId))
        state->report(KeyOutcome::error(KeyOutcome::Kind::AuthRejected, reason).asProbe(), m_clock.now());
    LogLine(lcOAuth(), QtWarningMsg, u"OAuth account disconnected")
        .field("session_id", sessionId)
        .field("key_id", keyId)
        .field("reason", reason);
    m_routingChanged();
    ended(keyId, false);
}

void OAuthRefresher::postponed(qint64 sessionId, qint64 keyId, qint64 lease, const QString& reason)
{
    const int failures = ++m_failures[sessionId];
    const qint64 wait = qMin(kLastRetryMs, kFirstRetryMs << qMin(failures - 1, 10));
    m_retryAtMs.insert(sessionId, nowMs() + wait);
    if (lease > 0) // the lease is given back only by its holder
        (void)m_database.exec(QStringLiteral("UPDATE oauth_sessions SET last_error = ?, refresh_lease_until = NULL "
                                             "WHERE id = ? AND refresh_lease_until = ?"),
                              {reason, sessionId, lease});
    LogLine(lcOAuth(), QtWarningMsg, u"OAuth token not refreshed, trying again later")
        .field("session_id", sessionId)
        .field("key_id", keyId)
        .field("retry_in_ms", wait)
        .field("reason", reason);
    ended(keyId, false);
}

void OAuthRefresher::ended(qint64 keyId, bool refreshed)
{
    emit refreshEnded(keyId, refreshed);
    schedule();
}
