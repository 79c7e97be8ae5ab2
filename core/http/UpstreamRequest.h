#pragma once

#include "http/HttpHeaders.h"
#include "http/UpstreamOrigin.h"

// What UpstreamPool::start() sends.
struct UpstreamRequest
{
    QByteArray method = QByteArrayLiteral("GET"); // literals: no allocation per request
    UpstreamOrigin origin;
    QByteArray target = QByteArrayLiteral("/"); // the request target, sent as is: "/v1/chat/completions?x=1"
    HttpHeaders headers;     // Host is added from the origin when absent; framing fields are set by the client
    QByteArray body;         // the whole body, unless streamBody
    bool streamBody = false; // the body follows through UpstreamExchange::writeBody() and endBody(), framed with
                             // the Content-Length from headers when given, else chunked
};
