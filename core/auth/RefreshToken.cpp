#include "auth/RefreshToken.h"

#include "crypto/Digest.h"
#include "crypto/Random.h"

QString RefreshToken::generate()
{
    return Random::token(32);
}

QString RefreshToken::hash(const QString& token)
{
    return QString::fromLatin1(Digest::sha256(token.toUtf8()).toHex());
}
