#include "cache/RedisUrl.h"

#include <QUrl>

Result<RedisUrl> RedisUrl::parse(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("redis") || url.host().isEmpty())
        return Error::make(QStringLiteral("invalid_argument"),
                           QStringLiteral("Redis URL must look like redis://[:password@]host[:port][/db]"));
    RedisUrl result;
    result.host = url.host();
    result.port = url.port(6379);
    result.password = url.password(QUrl::FullyDecoded);
    const QString path = url.path();
    if (!path.isEmpty() && path != QLatin1String("/")) {
        bool ok = false;
        result.db = path.mid(1).toInt(&ok);
        if (!ok || result.db < 0)
            return Error::make(QStringLiteral("invalid_argument"),
                               QStringLiteral("Redis URL database must be a number: %1").arg(path.mid(1)));
    }
    return result;
}

QString RedisUrl::toDisplayString() const
{
    return QStringLiteral("redis://%1%2:%3/%4")
        .arg(password.isEmpty() ? QString() : QStringLiteral(":***@"), host)
        .arg(port)
        .arg(db);
}
