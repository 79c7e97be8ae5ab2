#pragma once

#include <QDateTime>
#include <QString>

// The part of a key's health that survives a restart; the storage layer saves and loads it per provider key.
struct PersistedKeyHealth
{
    QDateTime cooldownUntil; // UTC; null when the key is not cooling down
    QDateTime ejectedUntil;  // UTC; null when the key is not ejected
    bool invalid = false;
    QString invalidReason;
};
