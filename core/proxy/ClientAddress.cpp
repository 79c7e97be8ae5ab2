#include "proxy/ClientAddress.h"

QHostAddress clientAddressOf(const HttpRequest& request, const Config& config)
{
    if (!config.isTrustedProxy(request.clientAddress))
        return request.clientAddress;
    // Proxies append: read from the right, past the trusted hops, to the first address someone else added.
    QList<QByteArrayView> hops;
    for (const QByteArrayView field : request.headers.values("X-Forwarded-For")) {
        for (QByteArrayView rest = field; !rest.isEmpty();) {
            const qsizetype comma = rest.indexOf(',');
            hops.append((comma < 0 ? rest : rest.first(comma)).trimmed());
            rest = comma < 0 ? QByteArrayView() : rest.sliced(comma + 1);
        }
    }
    QHostAddress client = request.clientAddress;
    for (auto hop = hops.crbegin(); hop != hops.crend(); ++hop) {
        const QHostAddress address(QString::fromLatin1(*hop));
        if (address.isNull())
            break; // a garbled entry: nothing left of it can be trusted
        client = address;
        if (!config.isTrustedProxy(address))
            break;
    }
    return client;
}
