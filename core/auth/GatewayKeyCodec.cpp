#include "auth/GatewayKeyCodec.h"

#include "crypto/Digest.h"
#include "crypto/Random.h"

#include <algorithm>

namespace {

const QString kKeyPrefix = QStringLiteral("gh-");

bool isBase62(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z');
}

} // namespace

QString GatewayKeyCodec::generate()
{
    return kKeyPrefix + Random::base62(kRandomLength);
}

QByteArray GatewayKeyCodec::hash(QByteArrayView key)
{
    return digest(key).toHex();
}

QByteArray GatewayKeyCodec::digest(QByteArrayView key)
{
    return Digest::sha256(key);
}

QString GatewayKeyCodec::prefix(const QString& key)
{
    return key.left(kPrefixLength);
}

bool GatewayKeyCodec::looksLikeGatewayKey(QStringView text)
{
    if (text.size() != kKeyPrefix.size() + kRandomLength || !text.startsWith(kKeyPrefix))
        return false;
    const QStringView random = text.sliced(kKeyPrefix.size());
    return std::all_of(random.begin(), random.end(), isBase62);
}
