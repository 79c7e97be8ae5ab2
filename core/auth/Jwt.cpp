#include "auth/Jwt.h"

#include "crypto/ConstantTime.h"
#include "crypto/Digest.h"

#include <QJsonDocument>
#include <QJsonValue>

#include <cmath>
#include <optional>

namespace {

constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray encode(const QByteArray& bytes)
{
    return bytes.toBase64(kBase64Url);
}

// Decodes unpadded base64url and accepts only the one canonical spelling, so no two strings carry the same token.
std::optional<QByteArray> decode(QByteArrayView part)
{
    auto result =
        QByteArray::fromBase64Encoding(part.toByteArray(), kBase64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!result || encode(result.decoded) != part)
        return std::nullopt;
    return std::move(result.decoded);
}

std::optional<QJsonObject> parseObject(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

Error reject(const char* code, const QString& message)
{
    return Error::make(QString::fromLatin1(code), message);
}

} // namespace

QByteArray Jwt::sign(const QJsonObject& claims, QByteArrayView secret)
{
    Q_ASSERT_X(secret.size() >= kMinSecretSize, "Jwt::sign", "secret shorter than 32 bytes");
    static const QByteArray header = encode(QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})"));
    const QByteArray signingInput = header + '.' + encode(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return signingInput + '.' + encode(Digest::hmacSha256(secret, signingInput));
}

Result<QJsonObject> Jwt::verify(QByteArrayView token, QByteArrayView secret, const QDateTime& now, int leewaySeconds)
{
    if (secret.size() < kMinSecretSize)
        return reject("token_bad_secret", QStringLiteral("token secret is shorter than %1 bytes").arg(kMinSecretSize));
    if (token.size() > kMaxTokenSize || token.count('.') != 2)
        return reject("token_malformed", QStringLiteral("token is not three dot-separated parts"));
    const qsizetype firstDot = token.indexOf('.');
    const qsizetype secondDot = token.lastIndexOf('.');
    const QByteArrayView headerPart = token.first(firstDot);
    const QByteArrayView payloadPart = token.sliced(firstDot + 1, secondDot - firstDot - 1);
    const QByteArrayView signaturePart = token.sliced(secondDot + 1);
    if (headerPart.isEmpty() || payloadPart.isEmpty() || signaturePart.isEmpty())
        return reject("token_malformed", QStringLiteral("token has an empty part"));

    const std::optional<QByteArray> headerJson = decode(headerPart);
    const std::optional<QByteArray> payloadJson = decode(payloadPart);
    const std::optional<QByteArray> signature = decode(signaturePart);
    if (!headerJson || !payloadJson || !signature)
        return reject("token_bad_encoding", QStringLiteral("token part is not base64url"));

    const std::optional<QJsonObject> header = parseObject(*headerJson);
    if (!header)
        return reject("token_bad_json", QStringLiteral("token header is not a JSON object"));
    if (header->value(QLatin1String("alg")) != QLatin1String("HS256"))
        return reject("token_unsupported_alg", QStringLiteral("token algorithm is not HS256"));
    const QJsonValue type = header->value(QLatin1String("typ"));
    if (!type.isUndefined() && type != QLatin1String("JWT"))
        return reject("token_bad_type", QStringLiteral("token type is not JWT"));

    const QByteArrayView signingInput = token.first(secondDot);
    if (!constantTimeEquals(Digest::hmacSha256(secret, signingInput), *signature))
        return reject("token_bad_signature", QStringLiteral("token signature is invalid"));

    const std::optional<QJsonObject> claims = parseObject(*payloadJson);
    if (!claims)
        return reject("token_bad_json", QStringLiteral("token payload is not a JSON object"));

    const double nowSeconds = double(now.toSecsSinceEpoch());
    const QJsonValue exp = claims->value(QLatin1String("exp"));
    if (exp.isUndefined())
        return reject("token_missing_exp", QStringLiteral("token has no expiry (exp)"));
    for (const char* name : {"exp", "nbf", "iat"}) {
        const QJsonValue value = claims->value(QLatin1String(name));
        if (!value.isUndefined() && (!value.isDouble() || !std::isfinite(value.toDouble())))
            return reject("token_bad_claim", QStringLiteral("token claim %1 is not a number").arg(QLatin1String(name)));
    }
    if (exp.toDouble() <= nowSeconds - leewaySeconds)
        return reject("token_expired", QStringLiteral("token has expired"));
    const QJsonValue nbf = claims->value(QLatin1String("nbf"));
    if (nbf.isDouble() && nbf.toDouble() > nowSeconds + leewaySeconds)
        return reject("token_not_yet_valid", QStringLiteral("token is not valid yet (nbf)"));
    const QJsonValue iat = claims->value(QLatin1String("iat"));
    if (iat.isDouble() && iat.toDouble() > nowSeconds + leewaySeconds)
        return reject("token_issued_in_future", QStringLiteral("token was issued in the future (iat)"));
    return *claims;
}
