#pragma once

#include <QString>

// Opaque refresh tokens for admin sessions: 32 random bytes as unpadded base64url (43 characters), handed to the
// client once. Only hash() is stored, so a leaked sessions table cannot be replayed.
class RefreshToken
{
public:
    static QString generate();

    // Lower-case hex SHA-256 of the token (64 characters).
    static QString hash(const QString& token);
};
