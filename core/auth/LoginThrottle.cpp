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

QString LoginThrottle::accountColumn(const QString& account)
{
    return QStringLiteral("user:") + account;
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

qint64 LoginThrottle::lockedUntil(const QString& address, const QString& account) const
{
    auto found =
        m_database.exec(QStringLiteral("SELECT locked_until FROM login_throttle WHERE address = ? AND account = ?"),
                        {addressKey(address), account});
    if (!found) {
        qCWarning(lcAuth).noquote() << "failed logins not read:" << found.error().message;
        return 0;
    }
    return found->next() ? found->value(0).toLongLong() : 0;
}

// One statement, so that failures through several instances at once all count. A row whose window is over moves on
// by one window (this one's failures become the previous window's) or, when two have passed, starts afresh. (In an
// UPDATE every expression reads the row as it was.)
int LoginThrottle::countFailure(const QString& address, const QString& account, qint64 nowMs)
{
    const qint64 window = m_policy.windowMs;
    auto counted = m_database.exec(
        QStringLiteral(
            "INSERT INTO login_throttle (address, account, failures, previous_failures, since, last_failure_at, "
            "locked_until) VALUES (?, ?, 1, 0, ?, ?, 0) ON CONFLICT (address, account) DO UPDATE SET "
            "previous_failures = CASE WHEN ? >= login_throttle.since + 2 * ? THEN 0 "
            "WHEN ? >= login_throttle.since + ? THEN login_throttle.failures "
            "ELSE login_throttle.previous_failures END, "
            "failures = CASE WHEN ? >= login_throttle.since + ? THEN 1 ELSE login_throttle.failures + 1 END, "
            "since = CASE WHEN ? >= login_throttle.since + 2 * ? THEN ? "
            "WHEN ? >= login_throttle.since + ? THEN login_throttle.since + ? ELSE login_throttle.since END, "
            "last_failure_at = ? RETURNING failures, previous_failures, since"),
        {addressKey(address), account, nowMs, nowMs, nowMs, window, nowMs, window, nowMs, window, nowMs, window, nowMs,
         nowMs, window, window, nowMs});
    if (!counted || !counted->next()) {
        qCWarning(lcAuth).noquote() << "failed login not counted:"
                                    << (counted ? QStringLiteral("no row") : counted.error().message);
        return 0;
    }
    const int failures = counted->value(0).toInt();
    const qint64 previous = counted->value(1).toLongLong();
    const qint64 left = std::clamp<qint64>(counted->value(2).toLongLong() + window - nowMs, 0, window);
    return failures + int(previous * left / window);
}

// startAfresh: a lockout begins, and after it a fresh count.
void LoginThrottle::setLockedUntil(const QString& address, const QString& account, qint64 untilMs, bool startAfresh)
{
    auto stored = m_database.exec(
        startAfresh ? QStringLiteral("UPDATE login_throttle SET locked_until = ?, failures = 0, previous_failures = 0, "
                                     "since = last_failure_at WHERE address = ? AND account = ?")
                    : QStringLiteral("UPDATE login_throttle SET locked_until = ? WHERE address = ? AND account = ?"),
        {untilMs, addressKey(address), account});
    if (!stored)
        qCWarning(lcAuth).noquote() << "login wait not stored:" << stored.error().message;
}

void LoginThrottle::forget(const QString& condition, const QVariantList& values)
{
    if (auto forgotten = m_database.exec(QStringLiteral("DELETE FROM login_throttle WHERE ") + condition, values);
        !forgotten)
        qCWarning(lcAuth).noquote() << "failed logins not forgotten:" << forgotten.error().message;
}

// At most once a minute: rows whose window and lockout are both over.
void LoginThrottle::forgetStale(qint64 nowMs)
{
    if (nowMs < m_nextSweepMs)
        return;
    m_nextSweepMs = nowMs + 60'000;
    forget(QStringLiteral("last_failure_at <= ? AND locked_until <= ?"), {nowMs - m_policy.windowMs, nowMs});
}

qint64 LoginThrottle::accountWaitMs(const QString& account, const QString& address, qint64 nowMs) const
{
    return std::max<qint64>(0, lockedUntil(address, accountColumn(account)) - nowMs);
}

qint64 LoginThrottle::accountLastFailureMs(const QString& account, const QString& address) const
{
    auto found =
        m_database.exec(QStringLiteral("SELECT last_failure_at FROM login_throttle WHERE address = ? AND account = ?"),
                        {addressKey(address), accountColumn(account)});
    return found && found->next() ? found->value(0).toLongLong() : 0;
}

qint64 LoginThrottle::accountFailure(const QString& account, const QString& address, qint64 nowMs)
{
    forgetStale(nowMs);
    const int failures = countFailure(address, accountColumn(account), nowMs);
    if (failures >= m_policy.maxUserFailures) {
        setLockedUntil(address, accountColumn(account), nowMs + m_policy.lockoutMs, true);
        return nowMs + m_policy.lockoutMs;
    }
    if (const qint64 wait = waitAfter(failures); wait > 0)
        setLockedUntil(address, accountColumn(account), nowMs + wait, false);
    return 0;
}

void LoginThrottle::accountSuccess(const QString& account, const QString& address)
{
    forget(QStringLiteral("address = ? AND account = ?"), {addressKey(address), accountColumn(account)});
}

void LoginThrottle::forgetAccount(const QString& account)
{
    forget(QStringLiteral("account = ?"), {accountColumn(account)});
}

qint64 LoginThrottle::addressWaitMs(const QString& address, qint64 nowMs) const
{
    return std::max<qint64>(0, lockedUntil(address, kAddressRow) - nowMs);
}

bool LoginThrottle::addressFailure(const QString& address, qint64 nowMs)
{
    forgetStale(nowMs);
    if (countFailure(address, kAddressRow, nowMs) < m_policy.maxAddressFailures)
        return false;
    setLockedUntil(address, kAddressRow, nowMs + m_policy.lockoutMs, true);
    return true;
}
