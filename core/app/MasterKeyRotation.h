#pragma once

#include "common/Result.h"
#include "config/Config.h"
#include "crypto/SecureBytes.h"

class Database;

// `gatehoused rotate-master-key`: every secret sealed at rest (provider keys, the JWT signing secret) and the master
// key's check value are sealed again under a new key, in one transaction, while the servers run.
//
// With a key file (the default), the new key is written next to it first (master.key.next, 0600); the file is
// replaced only once the transaction committed, and the old key stays as master.key.previous-<its fingerprint>
// for backups taken before (they need it). A crash between the commit and the replacement is finished by the next
// start, which finds that master.key.next matches the database. A running server notices the rotation (it counts as an
// admin change), reads the key file again and goes on under the new key. With GATEHOUSE_MASTER_KEY or a systemd
// credential the new key must be given as GATEHOUSE_NEW_MASTER_KEY: the operator puts it where the old one was and
// restarts the servers, which keep serving meanwhile with the secrets they hold.
namespace MasterKeyRotation {

struct Rotated
{
    int secrets = 0; // sealed values sealed again
    QString oldFingerprint;
    QString newFingerprint;
    QString keyFile; // the file now holding the new key; empty when the operator places it
};

// newKeyText: GATEHOUSE_NEW_MASTER_KEY, or empty for a random key (key file only).
Result<Rotated> rotate(const Config& config, const QString& newKeyText);

// The next start's half: when the key file's key does not open the database but master.key.next does, a rotation
// committed and was cut short; finish it. Returns whether it did.
bool finishInterrupted(Database& database, const QString& keyFilePath);

// Seals every secret at rest again under `next`; `current` must open them. Part of rotate(), inside its transaction.
Result<int> resealAll(Database& database, const SecureBytes& current, const SecureBytes& next);

} // namespace MasterKeyRotation
