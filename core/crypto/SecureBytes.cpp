#include "crypto/SecureBytes.h"

#include <openssl/crypto.h>

#include <cstring>
#include <utility>

SecureBytes::SecureBytes(qsizetype size) : m_data(size > 0 ? new char[size]() : nullptr), m_size(size > 0 ? size : 0) {}

SecureBytes::SecureBytes(QByteArrayView bytes) : SecureBytes(bytes.size())
{
    if (m_size > 0)
        std::memcpy(m_data, bytes.data(), m_size);
}

SecureBytes::SecureBytes(const SecureBytes& other) : SecureBytes(other.view()) {}

SecureBytes::SecureBytes(SecureBytes&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0))
{}

SecureBytes& SecureBytes::operator=(const SecureBytes& other)
{
    if (this != &other) {
        SecureBytes copy(other);
        *this = std::move(copy);
    }
    return *this;
}

SecureBytes& SecureBytes::operator=(SecureBytes&& other) noexcept
{
    if (this != &other) {
        clear();
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

SecureBytes::~SecureBytes()
{
    clear();
}

void SecureBytes::clear()
{
    if (m_data) {
        OPENSSL_cleanse(m_data, static_cast<size_t>(m_size));
        delete[] m_data;
    }
    m_data = nullptr;
    m_size = 0;
}

void SecureBytes::wipe(QByteArray& bytes)
{
    if (bytes.isDetached() && !bytes.isEmpty())
        OPENSSL_cleanse(bytes.data(), static_cast<size_t>(bytes.size()));
    bytes.clear();
}
