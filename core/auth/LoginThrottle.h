#pragma once

#include <QHash>
#include <QList>
#include <QString>

// Brute-force limits for password logins. Failures are slowed down (short waits that grow), then locked out.
//
// Per user the state lives in users.failed_logins / users.locked_until (see userFailure()); per client address it
// lives here, in memory: enough for one instance (each instance of a cluster counts on its own).
// Not thread-safe: the admin API and the desktop GUI call it from the main thread.
class LoginThrottle
{
public:
    struct Policy
    {
        int maxUserFailures = 5;          // failed logins of one user within `window`, then `lockoutMs`
        int maxAddressFailures = 20;      // failed logins from one address within `window`, then `lockoutMs`
        int freeFailures = 2;             // failures before the first wait; then 1 s, 2 s, 4 s...
        qint64 windowMs = 15 * 60 * 1000; // failures older than this are forgotten
        qint64 lockoutMs = 15 * 60 * 1000;
        qsizetype maxTracked = 10'000; // addresses and unknown usernames: bounds memory under attack
    };

    // A user's persisted state: failures in a row and when the next attempt is allowed (locked_until, 0 = NULL).
    // locked_until is set on every failure (to the failure time plus the wait), so it also dates the last failure.
    struct UserState
    {
        int failedLogins = 0;
        qint64 lockedUntilMs = 0;
    };

    const Policy& policy() const { return m_policy; }

    // The state after one more failure at nowMs; `locked` tells whether this failure started a lockout.
    UserState userFailure(UserState state, qint64 nowMs, bool* locked) const;

    // Unknown usernames are slowed down and locked out like real ones (in memory), so that a 429 does not tell
    // which usernames exist.
    qint64 unknownUserWaitMs(const QString& username, qint64 nowMs) const;
    void unknownUserFailure(const QString& username, qint64 nowMs);

    // Milliseconds until `address` may try again (0: now). Addresses are grouped: IPv6 by /64, IPv4 each.
    qint64 addressWaitMs(const QString& address, qint64 nowMs) const;
    // Counts a failure from `address`; returns true when it started a lockout of the address.
    bool addressFailure(const QString& address, qint64 nowMs);

private:
    struct AddressState
    {
        QList<qint64> failures; // times of the failures within the window, oldest first
        qint64 lockedUntilMs = 0;
    };

    static QString addressKey(const QString& address);
    qint64 waitAfter(int failures) const;
    void forgetStaleAddresses(qint64 nowMs);

    const Policy m_policy{};
    QHash<QString, AddressState> m_addresses;
    QHash<QString, UserState> m_unknownUsers;
};
