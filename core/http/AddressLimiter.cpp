#include "http/AddressLimiter.h"

#include <netinet/in.h>
#include <sys/socket.h>

QByteArray AddressLimiter::addressKey(qintptr descriptor)
{
    sockaddr_storage peer{};
    socklen_t length = sizeof(peer);
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr*>(&peer), &length) != 0)
        return {}; // already gone: counted under one key of its own
    if (peer.ss_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(&peer);
        return QByteArray(reinterpret_cast<const char*>(&v4->sin_addr), sizeof(v4->sin_addr));
    }
    if (peer.ss_family == AF_INET6) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&peer);
        const char* bytes = reinterpret_cast<const char*>(&v6->sin6_addr);
        if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) // an IPv4 client on a dual-stack socket
            return QByteArray(bytes + 12, 4);
        return QByteArray(bytes, 8); // the /64
    }
    return {};
}

std::shared_ptr<AddressLimiter::Place> AddressLimiter::admit(qintptr descriptor)
{
    QByteArray key = addressKey(descriptor);
    {
        std::lock_guard lock(m_mutex);
        int& open = m_open[key];
        if (open >= m_perAddress)
            return nullptr;
        ++open;
    }
    return std::make_shared<Place>(*this, std::move(key));
}

void AddressLimiter::release(const QByteArray& key)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_open.find(key);
    if (it != m_open.end() && --*it <= 0)
        m_open.erase(it);
}
