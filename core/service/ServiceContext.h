#pragma once

#include <functional>

class AuditLog;
class Database;
class PasswordHasher;
class SecretBox;

// What every admin service works with. The REST controllers and the desktop GUI call the same services, so a
// rule (permission, validation, audit entry) lives in one place and both faces obey it.
struct ServiceContext
{
    Database& database;
    const SecretBox& secrets;
    const PasswordHasher& passwords;
    AuditLog& audit;
    // Called after a change that the proxy must see (keys, pools, provider types, users' rights, pricing):
    // the routing snapshot is rebuilt and swapped in.
    std::function<void()> routingChanged;
};
