#pragma once

#include <QByteArray>
#include <QByteArrayView>

// SHA-256 and HMAC-SHA256 through OpenSSL 3's EVP interface.
class Digest
{
public:
    static constexpr qsizetype kSha256Size = 32;

    static QByteArray sha256(QByteArrayView data);
    static QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);
};
