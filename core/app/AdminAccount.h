#pragma once

#include "common/Result.h"
#include "config/Config.h"

#include <QString>

class Database;
class PasswordHasher;

// The built-in administrator: created on the first start, and recovered from the command line when no one can
// sign in any more (`gatehoused reset-admin-password`).
namespace AdminAccount {

inline constexpr const char* kDefaultUsername = "admin";

// When the database has no user at all, creates 'admin' with the super_admin role and `password`, or a generated
// one when `password` is empty. Returns the generated password (empty when none was generated or nothing created).
Result<QString> createIfNoUsers(Database& database, const PasswordHasher& passwords, const QString& password);

struct Reset
{
    qint64 userId = 0;
    bool created = false;      // no super admin was left, so the user was created as one
    QString generatedPassword; // empty when the password came from GATEHOUSE_ADMIN_PASSWORD
};

// Sets a new password for `username` (from config.initialAdminPassword, else generated), enables the account,
// lifts its lockout, ends its sessions and records an audit entry. Creates the user as a super admin when it does
// not exist and no live super admin is left; otherwise an unknown user is an error naming the super admins. Works
// while gatehoused is stopped or running (a running server keeps lockouts it holds in memory until they expire).
// Refuses to touch a SQLite database owned by another system user, whose files it would leave unreadable to it.
Result<Reset> resetPassword(const Config& config, const QString& username);

} // namespace AdminAccount
