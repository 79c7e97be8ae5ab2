#include "crypto/Digest.h"

#include <QtGlobal>

#include <openssl/evp.h>

#include <memory>

namespace {

const unsigned char* bytes(QByteArrayView view)
{
    return reinterpret_cast<const unsigned char*>(view.data());
}

} // namespace

QByteArray Digest::sha256(QByteArrayView data)
{
    // Fetched once and a context per thread: EVP_Q_digest looks the algorithm up in the provider store and
    // allocates a context on every call, which cost more than hashing a gateway key (it runs per request).
    static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                                       &EVP_MD_CTX_free);
    QByteArray out(kSha256Size, Qt::Uninitialized);
    unsigned int length = 0;
    if (!algorithm || !context || !EVP_DigestInit_ex2(context.get(), algorithm, nullptr) ||
        !EVP_DigestUpdate(context.get(), data.data(), static_cast<size_t>(data.size())) ||
        !EVP_DigestFinal_ex(context.get(), reinterpret_cast<unsigned char*>(out.data()), &length) ||
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
