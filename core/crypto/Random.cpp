#include "crypto/Random.h"

#include <QtGlobal>

#include <openssl/rand.h>

#include <climits>

namespace {

void fill(char* out, qsizetype count)
{
    Q_ASSERT(count >= 0 && count <= INT_MAX);
    if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out), static_cast<int>(count)) != 1)
        qFatal("RAND_bytes failed: the system random number generator is unavailable");
}

} // namespace

QByteArray Random::bytes(qsizetype count)
{
    QByteArray out(count, Qt::Uninitialized);
    fill(out.data(), count);
    return out;
}

SecureBytes Random::secureBytes(qsizetype count)
{
    SecureBytes out(count);
    fill(out.data(), count);
    return out;
}

QString Random::token(qsizetype byteCount)
{
    return QString::fromLatin1(
        bytes(byteCount).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString Random::base62(qsizetype length)
{
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    // Bytes >= 248 are rejected so that `byte % 62` is uniform (248 = 4 * 62).
    static constexpr unsigned char kLimit = 248;
    QString out;
    out.reserve(length);
    while (out.size() < length) {
        const QByteArray chunk = bytes(length - out.size() + 8);
        for (const char c : chunk) {
            const auto byte = static_cast<unsigned char>(c);
            if (byte < kLimit && out.size() < length)
                out.append(QLatin1Char(kAlphabet[byte % 62]));
        }
    }
    return out;
}
