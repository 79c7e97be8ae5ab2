#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QtGlobal>

#include <functional>
#include <memory>
#include <mutex>

// Open client connections per address (IPv4 each, IPv6 per /64, since one client usually holds a whole /64),
// across every worker: the acceptor admits a connection, and its place is given back when the worker drops it. One
// address cannot take all of Config::limits.maxConnections; a trusted reverse proxy (Config::trustedProxies),
// which carries every client, is not limited. A mutex, taken once per connection, never per request.
class AddressLimiter
{
public:
    // Held while the connection is open; gives the place back when the last copy goes.
    class Place
    {
    public:
        // `limiter` null: a place that is not counted.
        Place(AddressLimiter* limiter, QByteArray key) : m_limiter(limiter), m_key(std::move(key)) {}
        ~Place()
        {
            if (m_limiter)
                m_limiter->release(m_key);
        }
        Place(const Place&) = delete;
        Place& operator=(const Place&) = delete;

    private:
        AddressLimiter* const m_limiter;
        const QByteArray m_key;
    };

    AddressLimiter(int perAddress, std::function<bool(const QHostAddress&)> unlimited)
        : m_perAddress(perAddress), m_unlimited(std::move(unlimited))
    {}

    // A place for one more connection from the peer of the accepted socket `descriptor`; null when that address
    // holds perAddress connections already. The limiter must outlive its places.
    std::shared_ptr<Place> admit(qintptr descriptor);
    // A reload: addresses over a lowered limit keep their connections and get no new ones until under it.
    void setPerAddress(int perAddress)
    {
        const std::lock_guard lock(m_mutex);
        m_perAddress = perAddress;
    }

private:
    void release(const QByteArray& key);

    int m_perAddress;
    const std::function<bool(const QHostAddress&)> m_unlimited;
    std::mutex m_mutex;
    QHash<QByteArray, int> m_open;
};
