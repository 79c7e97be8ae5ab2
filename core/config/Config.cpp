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

bool Config::adminAllowedFrom(const QHostAddress& address) const
{
    if (adminAllowedSubnets.isEmpty())
        return true;
    // An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d; the subnets name it in IPv4.
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    const QHostAddress plain = isV4 ? QHostAddress(v4) : address;
    return std::any_of(adminAllowedSubnets.begin(), adminAllowedSubnets.end(),
                       [&](const auto& subnet) { return plain.isInSubnet(subnet); });
}
