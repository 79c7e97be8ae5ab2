#include "auth/LoginThrottle.h"

#include <QHostAddress>

#include <algorithm>

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

QString LoginThrottle::accountKey(const QString& account, const QString& address)
{
    return account + QChar(0) + addressKey(address);
}

qint64 LoginThrottle::accountWaitMs(const QString& account, const QString& address, qint64 nowMs) const
{
    return std::max<qint64>(0, m_accounts.value(accountKey(account, address)).lockedUntilMs - nowMs);
}

qint64 LoginThrottle::accountLastFailureMs(const QString& account, const QString& address) const
{
    return m_accounts.value(accountKey(account, address)).lastFailureMs;
}

qint64 LoginThrottle::accountFailure(const QString& account, const QString& address, qint64 nowMs)
{
    if (m_accounts.size() >= m_policy.maxTracked) {
        m_accounts.removeIf(
            [&](const auto& entry) { return entry.value().lockedUntilMs + m_policy.windowMs <= nowMs; });
        if (m_accounts.size() >= m_policy.maxTracked)
            m_accounts.clear(); // a spray of names or addresses: the per-address limit still holds
    }
    const QString key = accountKey(account, address);
    bool locked = false;
    const UserState next = userFailure(m_accounts.value(key), nowMs, &locked);
    m_accounts.insert(key, next);
    return locked ? next.lockedUntilMs : 0;
}

void LoginThrottle::accountSuccess(const QString& account, const QString& address)
{
    m_accounts.remove(accountKey(account, address));
}

void LoginThrottle::forgetAccount(const QString& account)
{
    const QString prefix = account + QChar(0);
    m_accounts.removeIf([&](const auto& entry) { return entry.key().startsWith(prefix); });
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
    const auto it = m_addresses.constFind(addressKey(address));
    if (it == m_addresses.cend())
        return 0;
    return std::max<qint64>(0, it->lockedUntilMs - nowMs);
}

bool LoginThrottle::addressFailure(const QString& address, qint64 nowMs)
{
    if (m_addresses.size() >= m_policy.maxTracked)
        forgetStaleAddresses(nowMs);
    AddressState& state = m_addresses[addressKey(address)];
    state.failures.removeIf([&](qint64 at) { return at + m_policy.windowMs <= nowMs; });
    state.failures.append(nowMs);
    if (state.failures.size() < m_policy.maxAddressFailures)
        return false;
    state.failures.clear();
    state.lockedUntilMs = nowMs + m_policy.lockoutMs;
    return true;
}

void LoginThrottle::forgetStaleAddresses(qint64 nowMs)
{
    m_addresses.removeIf([&](const auto& entry) {
        const AddressState& state = entry.value();
        return state.lockedUntilMs <= nowMs &&
               (state.failures.isEmpty() || state.failures.last() + m_policy.windowMs <= nowMs);
    });
    // Still full of live entries (an attack from very many addresses): drop half of them rather than grow.
    if (m_addresses.size() >= m_policy.maxTracked) {
        QList<QString> keys = m_addresses.keys();
        for (qsizetype i = 0; i < keys.size() / 2; ++i)
            m_addresses.remove(keys.at(i));
    }
}
