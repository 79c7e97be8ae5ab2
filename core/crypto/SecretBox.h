#pragma once

#include "common/Result.h"
#include "crypto/SecureBytes.h"

#include <QByteArray>
#include <QByteArrayView>

// Authenticated encryption of secrets at rest (provider keys, OAuth tokens) with AES-256-GCM under the master key.
//
// Sealed form, ASCII so it fits a TEXT column in SQLite and PostgreSQL alike:
//     base64( version 0x01 | 12-byte random nonce | ciphertext | 16-byte GCM tag )
// The associated data is authenticated but not stored: pass the same value to open() that was given to seal().
// Use it to bind a value to its record ("provider_key:42"), so a sealed value copied to another row fails to open.
class SecretBox
{
public:
    static constexpr qsizetype kKeySize = 32;
    static constexpr qsizetype kNonceSize = 12;
    static constexpr qsizetype kTagSize = 16;
    static constexpr char kVersion = 0x01;

    // `key` must be kKeySize bytes (MasterKey guarantees it); anything else is a programming error and aborts.
    explicit SecretBox(SecureBytes key);

    QByteArray seal(QByteArrayView plaintext, QByteArrayView associatedData) const;

    // Error codes: "sealed_malformed" (not base64 or too short), "sealed_unsupported_version",
    // "sealed_authentication_failed" (wrong master key, wrong associated data, or the value was altered; GCM cannot
    // tell these apart).
    Result<SecureBytes> open(QByteArrayView sealed, QByteArrayView associatedData) const;

    // After a master key rotation (app/MasterKeyRotation). Not thread-safe: the owner's thread only.
    void replaceKey(SecureBytes key) { m_key = std::move(key); }

private:
    SecureBytes m_key;
};
