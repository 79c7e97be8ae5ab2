#pragma once

#include <QByteArray>
#include <QByteArrayView>

// A byte buffer for keys and plaintext secrets: never shared, never reallocated, wiped (OPENSSL_cleanse) when it
// is destroyed, cleared or overwritten. Copies are deep. Get bytes out only through view() where possible: every
// QByteArray made from it is a copy that nobody wipes.
class SecureBytes
{
public:
    SecureBytes() = default;
    explicit SecureBytes(qsizetype size); // zero-filled
    explicit SecureBytes(QByteArrayView bytes);
    SecureBytes(const SecureBytes& other);
    SecureBytes(SecureBytes&& other) noexcept;
    SecureBytes& operator=(const SecureBytes& other);
    SecureBytes& operator=(SecureBytes&& other) noexcept;
    ~SecureBytes();

    char* data() { return m_data; }
    const char* data() const { return m_data; }
    qsizetype size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    QByteArrayView view() const { return QByteArrayView(m_data, m_size); }

    void clear(); // wipes and releases the buffer

    // Wipes a QByteArray that held a secret (e.g. a decoded key) and empties it. A shared QByteArray cannot be
    // wiped without wiping its other owners, so only its own reference is dropped then.
    static void wipe(QByteArray& bytes);

private:
    char* m_data = nullptr;
    qsizetype m_size = 0;
};
