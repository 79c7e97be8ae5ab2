#include "oauth/Pkce.h"

#include "crypto/Digest.h"
#include "crypto/Random.h"

namespace Pkce {

QString newVerifier()
{
    return Random::token(32);
}

QString challenge(const QString& verifier)
{
    return QString::fromLatin1(
        Digest::sha256(verifier.toLatin1()).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace Pkce
