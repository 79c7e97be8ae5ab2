#pragma once

#include <QByteArray>

#include <array>

// Every database column that holds values sealed with the SecretBox, and the associated data each value is sealed
// with, which names its row (and, where a row has several, its column): a value copied to another row or column
// does not open. A master key rotation reseals exactly these (app/MasterKeyRotation).
struct SealedColumn
{
    const char* table;
    const char* column;
    const char* rowName;     // "provider_key": the associated data starts "provider_key:<id>"
    bool namesColumn = true; // then ":<column>" follows

    QByteArray associatedData(qint64 id) const
    {
        QByteArray data = QByteArray(rowName) + ':' + QByteArray::number(id);
        if (namesColumn)
            data += ':' + QByteArray(column);
        return data;
    }
};

namespace SealedColumns {

inline constexpr SealedColumn kProviderKeySecret{"provider_keys", "secret_ciphertext", "provider_key", false};
inline constexpr SealedColumn kOAuthClientSecret{"oauth_configs", "client_secret_ciphertext", "oauth_config"};
inline constexpr SealedColumn kOAuthCodeVerifier{"oauth_sessions", "code_verifier_ciphertext", "oauth_session"};
inline constexpr SealedColumn kOAuthAccessToken{"oauth_sessions", "access_token_ciphertext", "oauth_session"};
inline constexpr SealedColumn kOAuthRefreshToken{"oauth_sessions", "refresh_token_ciphertext", "oauth_session"};

inline constexpr std::array kAll{kProviderKeySecret, kOAuthClientSecret, kOAuthCodeVerifier, kOAuthAccessToken,
                                 kOAuthRefreshToken};

} // namespace SealedColumns
