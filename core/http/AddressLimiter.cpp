#include "http/AddressLimiter.h"

#include <netinet/in.h>
#include <sys/socket.h>

namespace {

struct Peer
{
    QHostAddress address;
    QByteArray key; // the address's bytes, an IPv6 one cut to its /64; empty when the peer is gone
};

Peer peerOf(qintptr descriptor)
{
    sockaddr_storage peer{};
    socklen_t length = sizeof(peer);
    if (::getpeername(int(descriptor), reinterpret_cast<sockaddr*>(&peer), &length) != 0)
        return {}; // already gone: counted under one key of its own
    const QHostAddress address(reinterpret_cast<const sockaddr*>(&peer));
    if (peer.ss_family == AF_INET) {
        const auto* v4 = reinterpret_cast<const sockaddr_in*>(&peer);
        return {address, QByteArray(reinterpret_cast<const char*>(&v4->sin_addr), sizeof(v4->sin_addr))};
    }
    if (peer.ss_family == AF_INET6) {
        const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&peer);
        const char* bytes = reinterpret_cast<const char*>(&v6->sin6_addr);
        if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) // an IPv4 client on a dual-stack socket
            return {address, QByteArray(bytes + 12, 4)};
        return {address, QByteArray(bytes, 8)}; // the /64
    }
    return {};
}

} // namespace

std::shared_ptr<AddressLimiter::Place> AddressLimiter::admit(qintptr descriptor)
{
    Peer peer = peerOf(descriptor);
    if (!peer.address.isNull() && m_unlimited && m_unlimited(peer.address))
        return std::make_shared<Place>(nullptr, QByteArray());
    {
        std::lock_guard lock(m_mutex);
        int& open = m_open[peer.key];
        if (open >= m_perAddress)
            return nullptr;
        ++open;
    }
    return std::make_shared<Place>(this, std::move(peer.key));
}

void AddressLimiter::release(const QByteArray& key)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_open.find(key);
    if (it != m_open.end() && --*it <= 0)
        m_open.erase(it);
}
