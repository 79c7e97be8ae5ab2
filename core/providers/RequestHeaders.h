#pragma once

#include "http/HttpHeaders.h"
#include "providers/KeyCredential.h"
#include "providers/ProviderProfile.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

// What a client request becomes on its way upstream, and what the gateway reads from it.
class RequestHeaders
{
public:
    // The upstream headers for a client request: the client's key removed from wherever the profile says clients
    // put it, from `keyHeader` (where the gateway found it, if another type's rules did), and from every other
    // credential header (authorization, x-api-key, x-goog-api-key, api-key), hop-by-hop
    // headers removed (Connection and the headers it names, Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding,
    // Upgrade, Expect: the engine frames the body itself), client identity removed (Forwarded, X-Forwarded-*, Via,
    // X-Real-IP, CDN client-IP headers, Cookie), the headers that choose the billed account removed
    // (OpenAI-Organization, OpenAI-Project, X-Goog-User-Project), Host set to the upstream, the provider key added per
    // the profile's template (or the credential's own, for an OAuth account, with its extra headers), Accept-Encoding
    // set to identity (the usage is read from the response bytes as they pass), and the profile's default headers
    // added where none of that name is left (so an admin's OpenAI-Organization always applies, while a client may
    // still choose its anthropic-version). Content-Length is kept: a caller that rewrites the body sets it anew.
    // X-Request-Id is the gateway's: the client's is removed, and `requestId` goes in its place when given.
    static HttpHeaders upstream(const HttpHeaders& client, const ProviderProfile& profile,
                                const KeyCredential& credential, QByteArrayView keyHeader = {},
                                QByteArrayView requestId = {});

    struct ClientKey
    {
        QByteArray key;          // empty: the client sent none
        QByteArray header;       // the header it came in; empty when it came in the query
        QByteArray forwardQuery; // the query without the key parameter, other parameters byte for byte
    };
    // The gateway key a client sent, looked for where the profile says (headers in order, then the query
    // parameter); "authorization" is read as "Bearer <key>". query is the raw query without the '?'.
    static ClientKey clientKey(const HttpHeaders& headers, QByteArrayView query, const ProviderProfile& profile);

    static constexpr qsizetype kMaxRequestIdLength = 128;
    // The client's X-Request-Id when it is 1..128 characters of [A-Za-z0-9._-], else a new random one.
    static QByteArray requestIdFrom(const HttpHeaders& headers);
};
