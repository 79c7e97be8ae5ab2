#pragma once

#include <QByteArray>
#include <QHash>
#include <QtGlobal>

#include <memory>
#include <mutex>

// Open client connections per address (IPv4 each, IPv6 per /64, since one client usually holds a whole /64),
// across every worker: the acceptor admits a connection, and its place is given back when the worker drops it. One
// address cannot take all of Config::limits.maxConnections. A mutex, taken once per connection, never per request.
class AddressLimiter
{
public:
    // Held while the connection is open; gives the place back when the last copy goes.
    class Place
    {
    public:
        Place(AddressLimiter& limiter, QByteArray key) : m_limiter(limiter), m_key(std::move(key)) {}
        ~Place() { m_limiter.release(m_key); }
        Place(const Place&) = delete;
        Place& operator=(const Place&) = delete;

    private:
        AddressLimiter& m_limiter;
        const QByteArray m_key;
    };

    explicit AddressLimiter(int perAddress) : m_perAddress(perAddress) {}

    // A place for one more connection from the peer of the accepted socket `descriptor`; null when that address
    // holds perAddress connections already. The limiter must outlive its places.
    std::shared_ptr<Place> admit(qintptr descriptor);

private:
    static QByteArray addressKey(qintptr descriptor);
    void release(const QByteArray& key);

    const int m_perAddress;
    std::mutex m_mutex;
    QHash<QByteArray, int> m_open;
};
