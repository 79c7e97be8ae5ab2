#pragma once

#include "common/Result.h"

class Database;

// A count of changes every gateway instance must see, in a settings row: a change adds one inside its own
// transaction, and an instance that reads a new count rebuilds what it keeps from the data. kAdmin counts admin
// changes (keys, pools, types, users, prices), kHealth the saved health of provider keys.
class ChangeCounter
{
public:
    static constexpr const char* kAdmin = "change_counter";
    static constexpr const char* kHealth = "health_counter";

    explicit ChangeCounter(Database& database, const char* name = kAdmin) : m_database(database), m_name(name) {}

    // Within the transaction of the change.
    Result<void> add();
    Result<qint64> value();

private:
    Database& m_database;
    const char* m_name;
};
