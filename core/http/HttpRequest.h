#pragma once

#include "http/HttpHeaders.h"

#include <QHostAddress>

// One request head as the client sent it. The body is streamed separately through HttpExchange.
struct HttpRequest
{
    QByteArray method;        // "GET", "POST", ...
    QByteArray target;        // as sent, e.g. "/v1/chat/completions?x=1"
    QByteArray path;          // target up to '?'
    QByteArray query;         // after '?', without it; empty when none
    int versionMinor = 1;     // HTTP/1.<versionMinor>
    HttpHeaders headers;      // in wire order, names as sent
    qint64 contentLength = 0; // body length; -1 when the body is chunked
    QHostAddress clientAddress;
    quint16 clientPort = 0;
    quint64 connectionId = 0; // unique per listener process, shared by the requests of one keep-alive connection

    bool isChunked() const { return contentLength < 0; }
    bool hasBody() const { return contentLength != 0; }
    bool isHead() const { return method == "HEAD"; }
};
