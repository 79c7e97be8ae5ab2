#pragma once

#include <QString>

class Database;

// Brute-force limits for password logins. Failures are slowed down (short waits that grow), then locked out.
//
// An account (a username, existing or not) is throttled per client address: a lockout holds back the address that
// failed, never the account everywhere, so nobody can keep the admin out by failing from elsewhere, and the right
// password from an address that is not itself failing is checked and succeeds. Each address is also limited over all
// the accounts it tries, within a window that starts at its first failure.
//
// Counted in the database (table login_throttle), which every instance of a cluster shares: a lockout holds on all
// of them and across restarts, with or without Redis. Logins are rare and already cost a password hash, so a row read
// and an upsert per failure cost nothing that matters. Two instances counting a failure of the same row at the same
// instant may count it once: a try more for an attacker, never a lockout of someone who did not fail. A database
// error counts as no failure on record (and logs): the login it belongs to then fails on the database anyway.
// Uses the calling thread's connection.
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

    // One account at one address: failures in a row, when the last one was, and when the next attempt is allowed.
    struct UserState
    {
        int failedLogins = 0;
        qint64 lockedUntilMs = 0;
        qint64 lastFailureMs = 0;
    };

    explicit LoginThrottle(Database& database) : m_database(database) {}

    const Policy& policy() const { return m_policy; }

    // The state after one more failure at nowMs; `locked` tells whether this failure started a lockout.
    UserState userFailure(UserState state, qint64 nowMs, bool* locked) const;

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
    struct Row
    {
        int failures = 0;
        qint64 sinceMs = 0; // of the address's window
        qint64 lastFailureMs = 0;
        qint64 lockedUntilMs = 0;
    };

    static QString addressKey(const QString& address);
    static QString accountColumn(const QString& account);
    qint64 waitAfter(int failures) const;
    Row row(const QString& address, const QString& account) const;
    void store(const QString& address, const QString& account, const Row& row);
    void forgetStale(qint64 nowMs);

    Database& m_database;
    const Policy m_policy{};
    qint64 m_nextSweepMs = 0;
};
