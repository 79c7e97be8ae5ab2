#include "crypto/ConstantTime.h"

#include <openssl/crypto.h>

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size()) {
        // Same work as a real comparison of `a`, result ignored.
        (void)CRYPTO_memcmp(a.data(), a.data(), static_cast<size_t>(a.size()));
        return false;
    }
    return CRYPTO_memcmp(a.data(), b.data(), static_cast<size_t>(a.size())) == 0;
}
