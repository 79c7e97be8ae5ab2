#pragma once

#include <QString>

// Proof Key for Code Exchange (RFC 7636) with the S256 method.
namespace Pkce {

// 32 random bytes as unpadded base64url: 43 characters, all in the unreserved set the RFC allows.
QString newVerifier();

// BASE64URL(SHA256(ASCII(verifier))), unpadded.
QString challenge(const QString& verifier);

} // namespace Pkce
