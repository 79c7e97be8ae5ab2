#include "auth/LoginThrottle.h"

#include "common/Logging.h"
#include "storage/Database.h"

#include <QHostAddress>

#include <algorithm>

namespace {

const QString kAddressRow = QStringLiteral("*"); // the address's own count; accountColumn() rows start "user:"

} // namespace

qint64 LoginThrottle::waitAfter(int failures) const
{
    const int slowed = failures - m_policy.freeFailures;
    return slowed <= 0 ? 0 : 1000LL << std::min(slowed - 1, 10);
}

LoginThrottle::UserState LoginThrottle::userFailure(UserState state, qint64 nowMs, bool* locked) const
{
    // The last failure older than the window: start afresh.
    const int earlier = state.lastFailureMs + m_policy.windowMs > nowMs ? state.failedLogins : 0;
    const int failures = earlier + 1;
    *locked = failures >= m_policy.maxUserFailures;
    if (*locked)
        return {0, nowMs + m_policy.lockoutMs, nowMs}; // after the lockout a fresh count begins
    return {failures, nowMs + waitAfter(failures), nowMs};
}

QString LoginThrottle::accountColumn(const QString& account)
{
    return QStringLiteral("user:") + account;
}

LoginThrottle::Row LoginThrottle::row(const QString& address, const QString& account) const
{
    auto found = m_database.exec(QStringLiteral("SELECT failures, since, last_failure_at, locked_until FROM "
                                                "login_throttle WHERE address = ? AND account = ?"),
                                 {addressKey(address), account});
    if (!found) {
        qCWarning(lcAuth).noquote() << "failed logins not read:" << found.error().message;
        return {};
    }
    if (!found->next())
        return {};
    return {found->value(0).toInt(), found->value(1).toLongLong(), found->value(2).toLongLong(),
            found->value(3).toLongLong()};
}

void LoginThrottle::store(const QString& address, const QString& account, const Row& row)
{
    auto stored = m_database.exec(
        QStringLiteral("INSERT INTO login_throttle (address, account, failures, since, last_failure_at, locked_until) "
                       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (address, account) DO UPDATE SET failures = "
                       "excluded.failures, since = excluded.since, last_failure_at = excluded.last_failure_at, "
                       "locked_until = excluded.locked_until"),
        {addressKey(address), account, row.failures, row.sinceMs, row.lastFailureMs, row.lockedUntilMs});
    if (!stored)
        qCWarning(lcAuth).noquote() << "failed login not counted:" << stored.error().message;
}

// At most once a minute: rows whose window and lockout are both over.
void LoginThrottle::forgetStale(qint64 nowMs)
{
    if (nowMs < m_nextSweepMs)
        return;
    m_nextSweepMs = nowMs + 60'000;
    if (auto swept = m_database.exec(
            QStringLiteral("DELETE FROM login_throttle WHERE last_failure_at <= ? AND locked_until <= ?"),
            {nowMs - m_policy.windowMs, nowMs});
        !swept)
        qCWarning(lcAuth).noquote() << "old failed logins not forgotten:" << swept.error().message;
}

qint64 LoginThrottle::accountWaitMs(const QString& account, const QString& address, qint64 nowMs) const
{
    return std::max<qint64>(0, row(address, accountColumn(account)).lockedUntilMs - nowMs);
}

qint64 LoginThrottle::accountLastFailureMs(const QString& account, const QString& address) const
{
    return row(address, accountColumn(account)).lastFailureMs;
}

qint64 LoginThrottle::accountFailure(const QString& account, const QString& address, qint64 nowMs)
{
    forgetStale(nowMs);
    const Row before = row(address, accountColumn(account));
    bool locked = false;
    const UserState next = userFailure({before.failures, before.lockedUntilMs, before.lastFailureMs}, nowMs, &locked);
    store(address, accountColumn(account), {next.failedLogins, nowMs, next.lastFailureMs, next.lockedUntilMs});
    return locked ? next.lockedUntilMs : 0;
}

void LoginThrottle::accountSuccess(const QString& account, const QString& address)
{
    if (auto forgotten = m_database.exec(QStringLiteral("DELETE FROM login_throttle WHERE address = ? AND account = ?"),
                                         {addressKey(address), accountColumn(account)});
        !forgotten)
        qCWarning(lcAuth).noquote() << "failed logins not forgotten:" << forgotten.error().message;
}

void LoginThrottle::forgetAccount(const QString& account)
{
    if (auto forgotten = m_database.exec(QStringLiteral("DELETE FROM login_throttle WHERE account = ?"),
                                         {accountColumn(account)});
        !forgotten)
        qCWarning(lcAuth).noquote() << "failed logins not forgotten:" << forgotten.error().message;
}

QString LoginThrottle::addressKey(const QString& address)
{
    const QHostAddress host(address);
    bool isV4 = false;
    const quint32 v4 = host.toIPv4Address(&isV4);
    if (isV4) // also an IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d)
        return QHostAddress(v4).toString();
    if (host.protocol() != QAbstractSocket::IPv6Protocol)
        return address;
    // One IPv6 client usually holds a whole /64: counting per address would let it rotate through them.
    Q_IPV6ADDR bytes = host.toIPv6Address();
    std::fill(bytes.c + 8, bytes.c + 16, 0);
    return QHostAddress(bytes).toString() + QStringLiteral("/64");
}

qint64 LoginThrottle::addressWaitMs(const QString& address, qint64 nowMs) const
{
    return std::max<qint64>(0, row(address, kAddressRow).lockedUntilMs - nowMs);
}

bool LoginThrottle::addressFailure(const QString& address, qint64 nowMs)
{
    forgetStale(nowMs);
    Row state = row(address, kAddressRow);
    if (state.sinceMs + m_policy.windowMs <= nowMs) // the window of the first failure is over: a new one begins
        state = Row{0, nowMs, 0, state.lockedUntilMs};
    state.lastFailureMs = nowMs;
    const bool locked = ++state.failures >= m_policy.maxAddressFailures;
    if (locked)
        state = Row{0, nowMs, nowMs, nowMs + m_policy.lockoutMs};
    store(address, kAddressRow, state);
    return locked;
}
