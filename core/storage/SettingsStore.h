#pragma once

#include "common/Result.h"
#include "storage/Database.h"

#include <QString>

#include <optional>

// Instance-wide key/value settings (the settings table), e.g. the encrypted JWT secret. Values are text: store
// binary data base64-encoded.
class SettingsStore
{
public:
    explicit SettingsStore(Database& database) : m_database(database) {}

    // The value, or nullopt when the key is not set.
    Result<std::optional<QString>> value(const QString& key);
    // Sets or replaces the value.
    Result<void> setValue(const QString& key, const QString& value);
    // Sets the value only when the key is not set yet; returns whether it did. Several instances starting at once
    // on one database all end up with the first value (read it back with value()).
    Result<bool> setValueIfAbsent(const QString& key, const QString& value);

private:
    Database& m_database;
};
