#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>

// JSON Web Tokens (RFC 7519) for admin sessions, HS256 only (HMAC-SHA256). Nothing else is accepted, so a token
// cannot pick a weaker or public-key algorithm ("alg":"none", "RS256" confusion).
class Jwt
{
public:
    static constexpr qsizetype kMinSecretSize = 32;  // bytes; HS256 keys as long as the hash (RFC 7518 3.2)
    static constexpr qsizetype kMaxTokenSize = 8192; // longer input is refused before any decoding
    static constexpr int kDefaultLeewaySeconds = 30; // clock skew tolerated for exp, nbf and iat

    // Header {"alg":"HS256","typ":"JWT"}; `claims` as given (the caller sets exp, iat, sub, ...).
    // `secret` must hold at least kMinSecretSize bytes.
    static QByteArray sign(const QJsonObject& claims, QByteArrayView secret);

    // The claims of a token signed with `secret` and valid at `now`. Error codes, one per reason:
    //   token_malformed        not three non-empty dot-separated base64url parts, or too long
    //   token_bad_encoding     a part is not canonical unpadded base64url
    //   token_bad_json         header or payload is not a JSON object
    //   token_unsupported_alg  alg is not exactly "HS256" (none, HS512, RS256, ...)
    //   token_bad_type         typ is present and not "JWT"
    //   token_bad_signature    the signature does not match (compared in constant time)
    //   token_missing_exp      no exp claim
    //   token_bad_claim        exp, nbf or iat is not a number
    //   token_expired          exp <= now - leeway
    //   token_not_yet_valid    nbf > now + leeway
    //   token_issued_in_future iat > now + leeway
    //   token_bad_secret       the secret is shorter than kMinSecretSize (a configuration error)
    static Result<QJsonObject> verify(QByteArrayView token, QByteArrayView secret, const QDateTime& now,
                                      int leewaySeconds = kDefaultLeewaySeconds);
};
