#pragma once

#include "common/Result.h"

#include <QString>

// Password storage with scrypt (EVP_PBE_scrypt). Stored form, self-describing so the cost can change later:
//     $scrypt$ln=15,r=8,p=1$<salt>$<hash>        (N = 2^ln; salt and hash in base64 without padding)
// Passwords are NFKC-normalised and UTF-8 encoded first, so the same password typed on different keyboards
// verifies (NIST SP 800-63B 5.1.1.2).
class PasswordHasher
{
public:
    static constexpr int kDefaultLogN = 15; // ~100 ms of CPU and 32 MiB of memory a hash
    static constexpr int kMinLogN = 10;     // for tests, which hash and verify hundreds of passwords
    static constexpr int kMaxLogN = 18;     // 256 MiB a hash, the most verify() accepts
    static constexpr int kR = 8;
    static constexpr int kP = 1;
    static constexpr qsizetype kSaltSize = 16;
    static constexpr qsizetype kHashSize = 32;
    static constexpr qsizetype kMinLength = 10;   // characters (Unicode code points)
    static constexpr qsizetype kMaxLength = 1024; // bounds the work an unauthenticated request can ask for

    // New hashes cost N = 2^logN, clamped to [kMinLogN, kMaxLogN].
    explicit PasswordHasher(int logN = kDefaultLogN);

    // Error code "password_too_short" / "password_too_long" with a message fit to show the user.
    static Result<void> checkPolicy(const QString& password);

    // The stored form of `password` with a fresh random salt. Does not apply the policy: call checkPolicy() first
    // when a user chooses a password.
    QString hash(const QString& password) const;

    // Constant-time check of `password` against a stored form, at the cost the stored form names. A malformed stored
    // form is logged and returns false.
    static bool verify(const QString& password, const QString& stored);

    // True when `stored` was made with other parameters than this hasher's (or is unreadable): hash the password
    // again after the next successful verify().
    bool needsRehash(const QString& stored) const;

private:
    int m_logN;
};
