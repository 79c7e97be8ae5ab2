#pragma once

#include "common/Result.h"

class Database;

// The count of admin changes every gateway instance must see (the settings row "change_counter"): a change adds
// one inside its own transaction, and an instance that reads a new count rebuilds what it keeps from the data.
class ChangeCounter
{
public:
    explicit ChangeCounter(Database& database) : m_database(database) {}

    // Within the transaction of the change.
    Result<void> add();
    Result<qint64> value();

private:
    Database& m_database;
};
