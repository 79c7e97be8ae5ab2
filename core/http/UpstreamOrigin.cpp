#include "http/UpstreamOrigin.h"

#include <QUrl>

UpstreamOrigin UpstreamOrigin::fromUrl(const QUrl& url)
{
    const QString scheme = url.scheme();
    if ((scheme != QLatin1String("http") && scheme != QLatin1String("https")) || url.host().isEmpty())
        return {};
    UpstreamOrigin origin;
    origin.tls = scheme == QLatin1String("https");
    const int defaultPort = origin.tls ? 443 : 80;
    origin.host = url.host();
    origin.port = quint16(url.port(defaultPort));
    origin.authority = url.host(QUrl::FullyEncoded).toLatin1();
    if (origin.authority.contains(':'))
        origin.authority = '[' + origin.authority + ']';
    if (origin.port != defaultPort)
        origin.authority += ':' + QByteArray::number(origin.port);
    origin.poolKey = scheme + QLatin1String("://") + origin.host + QLatin1Char(':') + QString::number(origin.port);
    return origin;
}
