#pragma once

#include <QString>

class Database;

// Brute-force limits for password logins. Failures are slowed down (short waits that grow), then locked out.
//
// An account (a username, existing or not) is throttled per client address: a lockout holds back the address that
// failed, never the account everywhere, so nobody can keep the admin out by failing from elsewhere, and the right
// password from an address that is not itself failing is checked and succeeds. Each address is also limited over all
// the accounts it tries.
//
// Failures are counted in the database (table login_throttle), which every instance of a cluster shares: a lockout
// holds on all of them and across restarts, with or without Redis. Each row counts in windows of Policy::windowMs
// from its first failure and estimates the failures of the last windowMs as this window's plus the part of the last
// window's that it overlaps (a sliding window in two numbers). A failure is one atomic upsert, so failures through
// several instances at once all count; logins are rare and already cost a password hash. A database error counts as
// no failure on record (and logs): the login it belongs to then fails on the database anyway. Uses the calling
// thread's connection.
class LoginThrottle
{
public:
    struct Policy
    {
        int maxUserFailures = 5;     // failed logins of one account from one address within `window`, then `lockoutMs`
        int maxAddressFailures = 20; // failed logins from one address within `window`, then `lockoutMs`
        int freeFailures = 2;        // failures before the first wait; then 1 s, 2 s, 4 s...
        qint64 windowMs = 15 * 60 * 1000; // failures older than this are forgotten
        qint64 lockoutMs = 15 * 60 * 1000;
    };

    explicit LoginThrottle(Database& database) : m_database(database) {}

    const Policy& policy() const { return m_policy; }

    // Milliseconds until `account` may try again from `address` (0: now). Unknown usernames are throttled like real
    // ones, so that a 429 does not tell which usernames exist.
    qint64 accountWaitMs(const QString& account, const QString& address, qint64 nowMs) const;
    // When `account` last failed from `address` (0: never, or forgotten). A password set since then lifts the wait.
    qint64 accountLastFailureMs(const QString& account, const QString& address) const;
    // Counts a failure; returns the end of the lockout it started, or 0.
    qint64 accountFailure(const QString& account, const QString& address, qint64 nowMs);
    // A successful login starts the count of this address afresh; a new password, of every address.
    void accountSuccess(const QString& account, const QString& address);
    void forgetAccount(const QString& account);

    // Milliseconds until `address` may try again (0: now). Addresses are grouped: IPv6 by /64, IPv4 each.
    qint64 addressWaitMs(const QString& address, qint64 nowMs) const;
    // Counts a failure from `address`; returns true when it started a lockout of the address.
    bool addressFailure(const QString& address, qint64 nowMs);

private:
    static QString addressKey(const QString& address);
    static QString accountColumn(const QString& account);
    qint64 waitAfter(int failures) const;
    qint64 lockedUntil(const QString& address, const QString& account) const;
    // Counts one failure of the row; returns the estimated failures within the last window, this one included.
    int countFailure(const QString& address, const QString& account, qint64 nowMs);
    void setLockedUntil(const QString& address, const QString& account, qint64 untilMs, bool startAfresh);
    void forget(const QString& condition, const QVariantList& values);
    void forgetStale(qint64 nowMs);

    Database& m_database;
    const Policy m_policy{};
    qint64 m_nextSweepMs = 0;
};
