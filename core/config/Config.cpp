#include "config/Config.h"

#include <QDir>
#include <QThread>

#include <algorithm>

QString Config::sqlitePath() const
{
    return QDir(dataDir).absoluteFilePath(QStringLiteral("gatehouse.db"));
}

int Config::effectiveWorkers() const
{
    return workers > 0 ? workers : qMax(1, QThread::idealThreadCount());
}

namespace {

bool inSubnets(const QList<QPair<QHostAddress, int>>& subnets, const QHostAddress& address)
{
    // An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d; the subnets name it in IPv4.
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    const QHostAddress plain = isV4 ? QHostAddress(v4) : address;
    return std::any_of(subnets.begin(), subnets.end(), [&](const auto& subnet) { return plain.isInSubnet(subnet); });
}

} // namespace

bool Config::adminAllowedFrom(const QHostAddress& address) const
{
    return adminAllowedSubnets.isEmpty() || inSubnets(adminAllowedSubnets, address);
}

bool Config::isTrustedProxy(const QHostAddress& address) const
{
    return !trustedProxies.isEmpty() && inSubnets(trustedProxies, address);
}
