#include "crypto/SecretBox.h"

#include "crypto/Random.h"

#include <openssl/evp.h>

#include <memory>

namespace {

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext newContext()
{
    CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!context)
        qFatal("EVP_CIPHER_CTX_new failed: out of memory");
    return context;
}

unsigned char* bytes(char* data)
{
    return reinterpret_cast<unsigned char*>(data);
}

const unsigned char* bytes(const char* data)
{
    return reinterpret_cast<const unsigned char*>(data);
}

constexpr qsizetype kHeaderSize = 1 + SecretBox::kNonceSize;

} // namespace

SecretBox::SecretBox(SecureBytes key) : m_key(std::move(key))
{
    if (m_key.size() != kKeySize)
        qFatal("SecretBox needs a %d-byte key, got %d bytes", int(kKeySize), int(m_key.size()));
}

QByteArray SecretBox::seal(QByteArrayView plaintext, QByteArrayView associatedData) const
{
    QByteArray box(kHeaderSize + plaintext.size() + kTagSize, Qt::Uninitialized);
    box[0] = kVersion;
    const QByteArray nonce = Random::bytes(kNonceSize);
    std::copy(nonce.begin(), nonce.end(), box.begin() + 1);
    unsigned char* out = bytes(box.data()) + kHeaderSize;

    CipherContext context = newContext();
    int length = 0;
    bool ok =
        EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, bytes(m_key.data()), bytes(nonce.data())) == 1;
    // Empty inputs are skipped: OpenSSL's GCM treats a null input pointer as "finish".
    if (!associatedData.isEmpty())
        ok = ok && EVP_EncryptUpdate(context.get(), nullptr, &length, bytes(associatedData.data()),
                                     int(associatedData.size())) == 1;
    length = 0;
    if (!plaintext.isEmpty())
        ok = ok && EVP_EncryptUpdate(context.get(), out, &length, bytes(plaintext.data()), int(plaintext.size())) == 1;
    int finalLength = 0;
    ok = ok && EVP_EncryptFinal_ex(context.get(), out + length, &finalLength) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, int(kTagSize), out + plaintext.size()) == 1;
    if (!ok || length + finalLength != plaintext.size())
        qFatal("AES-256-GCM encryption failed in OpenSSL");
    return box.toBase64();
}

Result<SecureBytes> SecretBox::open(QByteArrayView sealed, QByteArrayView associatedData) const
{
    const auto decoded = QByteArray::fromBase64Encoding(sealed.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() < kHeaderSize + kTagSize)
        return Error::make(QStringLiteral("sealed_malformed"),
                           QStringLiteral("sealed secret is malformed (not base64 or too short)"));
    const QByteArray& box = decoded.decoded;
    if (box[0] != kVersion)
        return Error::make(
            QStringLiteral("sealed_unsupported_version"),
            QStringLiteral("sealed secret has unsupported format version %1").arg(static_cast<unsigned char>(box[0])));

    const unsigned char* nonce = bytes(box.constData()) + 1;
    const unsigned char* ciphertext = bytes(box.constData()) + kHeaderSize;
    const qsizetype ciphertextSize = box.size() - kHeaderSize - kTagSize;
    QByteArray tag = box.right(kTagSize);
    SecureBytes plaintext(ciphertextSize);

    CipherContext context = newContext();
    int length = 0;
    int finalLength = 0;
    bool ok = EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, bytes(m_key.data()), nonce) == 1;
    if (!associatedData.isEmpty())
        ok = ok && EVP_DecryptUpdate(context.get(), nullptr, &length, bytes(associatedData.data()),
                                     int(associatedData.size())) == 1;
    length = 0;
    if (ciphertextSize > 0)
        ok = ok &&
             EVP_DecryptUpdate(context.get(), bytes(plaintext.data()), &length, ciphertext, int(ciphertextSize)) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, int(kTagSize), tag.data()) == 1;
    // The tag is checked here: a tampered box, a wrong key or wrong associated data all fail at this step.
    ok = ok && EVP_DecryptFinal_ex(context.get(), bytes(plaintext.data()) + length, &finalLength) == 1;
    if (!ok)
        return Error::make(QStringLiteral("sealed_authentication_failed"),
                           QStringLiteral("sealed secret could not be decrypted: wrong master key, wrong associated "
                                          "data, or the stored value was altered"));
    return plaintext;
}
