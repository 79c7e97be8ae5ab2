#include "crypto/PasswordHasher.h"

#include "common/Logging.h"
#include "crypto/ConstantTime.h"
#include "crypto/Random.h"
#include "crypto/SecureBytes.h"

#include <QRegularExpression>

#include <algorithm>

#include <openssl/evp.h>

#include <optional>

namespace {

constexpr auto kBase64 = QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals;
constexpr quint64 kMaxMemoryBytes = 256ull * 1024 * 1024; // refuse stored parameters that would need more

struct Parameters
{
    int logN = 0;
    int r = 0;
    int p = 0;
    QByteArray salt;
    QByteArray hash;
};

std::optional<Parameters> parse(const QString& stored)
{
    static const QRegularExpression pattern(
        QStringLiteral(R"(^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$)"));
    const QRegularExpressionMatch match = pattern.match(stored);
    if (!match.hasMatch())
        return std::nullopt;
    Parameters parameters{match.captured(1).toInt(), match.captured(2).toInt(), match.captured(3).toInt(), {}, {}};
    const auto salt =
        QByteArray::fromBase64Encoding(match.captured(4).toLatin1(), kBase64 | QByteArray::AbortOnBase64DecodingErrors);
    const auto hash =
        QByteArray::fromBase64Encoding(match.captured(5).toLatin1(), kBase64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!salt || !hash)
        return std::nullopt;
    parameters.salt = salt.decoded;
    parameters.hash = hash.decoded;
    const quint64 memory = 128ull * quint64(parameters.r) * (quint64(1) << std::min(parameters.logN, 40));
    if (parameters.logN < 1 || parameters.logN > 24 || parameters.r < 1 || parameters.r > 32 || parameters.p < 1 ||
        parameters.p > 16 || memory > kMaxMemoryBytes || parameters.salt.isEmpty() || parameters.salt.size() > 64 ||
        parameters.hash.size() < 16 || parameters.hash.size() > 64)
        return std::nullopt;
    return parameters;
}

SecureBytes derive(const QString& password, const Parameters& parameters, qsizetype size)
{
    QByteArray utf8 = password.normalized(QString::NormalizationForm_KC).toUtf8();
    SecureBytes out(size);
    const quint64 memory = 128ull * quint64(parameters.r) * ((quint64(1) << parameters.logN) + parameters.p + 2);
    const int ok = EVP_PBE_scrypt(
        utf8.constData(), size_t(utf8.size()), reinterpret_cast<const unsigned char*>(parameters.salt.constData()),
        size_t(parameters.salt.size()), quint64(1) << parameters.logN, quint64(parameters.r), quint64(parameters.p),
        memory + 1024 * 1024, reinterpret_cast<unsigned char*>(out.data()), size_t(size));
    SecureBytes::wipe(utf8);
    if (ok != 1)
        qFatal("scrypt failed in OpenSSL (out of memory?)");
    return out;
}

} // namespace

PasswordHasher::PasswordHasher(int logN) : m_logN(std::clamp(logN, kMinLogN, kMaxLogN))
{
    static_assert(128ull * kR * (1ull << kMaxLogN) <= kMaxMemoryBytes, "verify() must accept what hash() makes");
}

Result<void> PasswordHasher::checkPolicy(const QString& password)
{
    const qsizetype length = password.normalized(QString::NormalizationForm_KC).toUcs4().size();
    if (length < kMinLength)
        return Error::make(QStringLiteral("password_too_short"),
                           QStringLiteral("password must be at least %1 characters long").arg(kMinLength));
    if (length > kMaxLength)
        return Error::make(QStringLiteral("password_too_long"),
                           QStringLiteral("password must be at most %1 characters long").arg(kMaxLength));
    return {};
}

QString PasswordHasher::hash(const QString& password) const
{
    const Parameters parameters{m_logN, kR, kP, Random::bytes(kSaltSize), {}};
    const SecureBytes derived = derive(password, parameters, kHashSize);
    return QStringLiteral("$scrypt$ln=%1,r=%2,p=%3$%4$%5")
        .arg(m_logN)
        .arg(kR)
        .arg(kP)
        .arg(QString::fromLatin1(parameters.salt.toBase64(kBase64)),
             QString::fromLatin1(derived.view().toByteArray().toBase64(kBase64)));
}

bool PasswordHasher::verify(const QString& password, const QString& stored)
{
    const std::optional<Parameters> parameters = parse(stored);
    if (!parameters) {
        qCWarning(lcCrypto) << "stored password hash is malformed; refusing the password";
        return false;
    }
    const SecureBytes derived = derive(password, *parameters, parameters->hash.size());
    return constantTimeEquals(derived.view(), parameters->hash);
}

bool PasswordHasher::needsRehash(const QString& stored) const
{
    const std::optional<Parameters> parameters = parse(stored);
    return !parameters || parameters->logN != m_logN || parameters->r != kR || parameters->p != kP ||
           parameters->salt.size() != kSaltSize || parameters->hash.size() != kHashSize;
}
