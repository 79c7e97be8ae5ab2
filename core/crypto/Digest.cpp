#include "crypto/Digest.h"

#include <QtGlobal>

#include <openssl/evp.h>

namespace {

const unsigned char* bytes(QByteArrayView view)
{
    return reinterpret_cast<const unsigned char*>(view.data());
}

} // namespace

QByteArray Digest::sha256(QByteArrayView data)
{
    QByteArray out(kSha256Size, Qt::Uninitialized);
    size_t length = 0;
    if (!EVP_Q_digest(nullptr, "SHA256", nullptr, data.data(), static_cast<size_t>(data.size()),
                      reinterpret_cast<unsigned char*>(out.data()), &length) ||
        length != kSha256Size)
        qFatal("SHA-256 unavailable in OpenSSL");
    return out;
}

QByteArray Digest::hmacSha256(QByteArrayView key, QByteArrayView data)
{
    QByteArray out(kSha256Size, Qt::Uninitialized);
    size_t length = 0;
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, bytes(key), static_cast<size_t>(key.size()),
                   bytes(data), static_cast<size_t>(data.size()), reinterpret_cast<unsigned char*>(out.data()),
                   static_cast<size_t>(out.size()), &length) ||
        length != kSha256Size)
        qFatal("HMAC-SHA256 unavailable in OpenSSL");
    return out;
}
