#pragma once

#include "common/Result.h"
#include "crypto/SecureBytes.h"

#include <QByteArray>
#include <QString>

// Where the master key came from, for the start-up log line.
enum class MasterKeySource {
    Environment, // GATEHOUSE_MASTER_KEY
    Credential,  // $CREDENTIALS_DIRECTORY/gatehouse-master-key (systemd LoadCredential=)
    KeyFile,     // the configured key file (0600)
    Keychain,    // the OS keychain through QtKeychain (desktop)
};

struct MasterKeyOptions
{
    QString environmentValue;     // GATEHOUSE_MASTER_KEY; empty = unset
    QString credentialsDirectory; // $CREDENTIALS_DIRECTORY; empty = not started by systemd with credentials
    QString keyFilePath;          // empty = no key file
    bool allowKeychain = false;   // desktop only: servers have no keychain
    // Make a new key when none exists. Pass false once the database holds encrypted data (a check value in the
    // settings table), so that a key source missing for a moment never leads to a fresh key.
    bool createIfMissing = true;
    QString keychainService = QStringLiteral("gatehouse");
    int keychainTimeoutMs = 30'000; // the desktop may ask the user to unlock the keyring
};

struct MasterKeyResult
{
    SecureBytes key; // MasterKey::kSize bytes
    MasterKeySource source = MasterKeySource::Environment;
    QString location; // file path, variable name or keychain service
    bool created = false;

    QString describe() const; // "key file /var/lib/gatehouse/master.key (created)", for a log line
};

// The 32-byte key that seals every secret at rest (see SecretBox). Sources, first match wins:
//   1. GATEHOUSE_MASTER_KEY: 64 hex digits or base64 (`openssl rand -base64 32`); anything else is an error.
//   2. $CREDENTIALS_DIRECTORY/gatehouse-master-key (systemd LoadCredential=; systemd guards its access).
//   3. the key file: owner-only permissions (0600 or 0400) required; raw 32 bytes, hex or base64.
//   4. the OS keychain (service "gatehouse", key "master-key") when allowed; an unreachable keychain is skipped.
// None found and createIfMissing: a new random key goes to the keychain if it is reachable, else to the key file
// (created 0600, atomically, never overwriting). Keychain access runs a local event loop: needs a QCoreApplication,
// and the main thread (QtKeychain answers through the main thread's GLib context; the desktop app, whose gateway
// runs on another thread, asks the keychain itself and passes the key in).
//
// A wrong key must fail at start, not at the first decryption: keep checkValue() in the settings table when the
// database is created and call verifyCheckValue() at every start.
class MasterKey
{
public:
    static constexpr qsizetype kSize = 32;
    static constexpr const char* kEnvironmentVariable = "GATEHOUSE_MASTER_KEY";
    static constexpr const char* kCredentialName = "gatehouse-master-key";
    static constexpr const char* kKeychainKey = "master-key";

    // Error codes: "master_key_invalid" (wrong format or length), "master_key_insecure_file" (permissions),
    // "master_key_io" (file or keychain failure), "master_key_missing" (none found, none created).
    static Result<MasterKeyResult> load(const MasterKeyOptions& options);

    // 64 hex digits or base64 (standard or URL-safe, padding optional) of exactly 32 bytes; whitespace trimmed.
    static Result<SecureBytes> parse(QByteArrayView text);

    // 16 hex digits identifying the key (HMAC-derived, reveals nothing about it): compare instances in logs.
    static QString fingerprint(const SecureBytes& key);

    // A SecretBox value made under `key` with associated data "master_key_check", to store in the settings table.
    static QByteArray checkValue(const SecureBytes& key);
    // Error code "master_key_mismatch" when `checkValue` was made under another key.
    static Result<void> verifyCheckValue(const SecureBytes& key, QByteArrayView checkValue);
};
