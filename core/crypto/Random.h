#pragma once

#include "crypto/SecureBytes.h"

#include <QByteArray>
#include <QString>

// Cryptographically secure randomness from OpenSSL's RAND_bytes. A failing RNG aborts the process (qFatal): no
// caller could do anything sensible with a weak key or token instead.
class Random
{
public:
    static QByteArray bytes(qsizetype count);

    // Random bytes for a new key, in a buffer that is wiped when it goes away.
    static SecureBytes secureBytes(qsizetype count);

    // `byteCount` random bytes as unpadded URL-safe base64 (32 bytes -> 43 chars): ids, refresh tokens, nonces.
    static QString token(qsizetype byteCount = 32);

    // `length` characters drawn uniformly from [0-9A-Za-z] (log2(62) = 5.95 bits each).
    static QString base62(qsizetype length);
};
