#pragma once

#include <QByteArray>
#include <QString>

class QUrl;

// Where upstream requests go: the scheme, host and port of a base URL, with what every request needs from them
// worked out once (a request on the hot path then touches no QUrl).
struct UpstreamOrigin
{
    // From an http or https URL with a host; anything else gives an origin that is not valid (requests to it fail
    // with ConnectFailed). The URL's path, query and fragment are ignored.
    static UpstreamOrigin fromUrl(const QUrl& url);

    bool isValid() const { return !host.isEmpty(); }

    bool tls = false;
    QString host;         // as given to connectToHost()
    quint16 port = 0;     // the scheme's default when the URL names none
    QByteArray authority; // the Host header: host[:port], IPv6 in brackets, names in ACE form
    QString poolKey;      // scheme://host:port: the keep-alive connections it may reuse
};
