#pragma once

#include "http/HttpHeaders.h"

#include <QUrl>

// What UpstreamPool::start() sends.
struct UpstreamRequest
{
    QByteArray method = "GET";
    QUrl url;                // http:// or https://; path and query are sent as the request target
    HttpHeaders headers;     // Host is added from the url when absent; framing fields are set by the client
    QByteArray body;         // the whole body, unless streamBody
    bool streamBody = false; // the body follows through UpstreamExchange::writeBody() and endBody(), framed with
                             // the Content-Length from headers when given, else chunked
};
