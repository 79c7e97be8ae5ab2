#pragma once

#include "common/Result.h"

#include <QString>

class Database;

// A user's password and sessions as the users and refresh_tokens tables hold them: the one place that writes them,
// for the admin API and the command line alike.
namespace UserCredentials {

// Stores `passwordHash` for the live user `userId`, lifts its lockout and ends its sessions. Returns the user's name
// (a not_found error when there is no such user).
Result<QString> storePassword(Database& database, qint64 userId, const QString& passwordHash, qint64 nowMs);

// Ends every session of the user on every instance: its refresh tokens are revoked, and access tokens issued
// before `nowMs` are refused (users.sessions_ended_at). Rotated tokens stay until they expire, so that their reuse
// is still recognised.
Result<void> endSessions(Database& database, qint64 userId, qint64 nowMs);

} // namespace UserCredentials
