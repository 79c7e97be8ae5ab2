#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QPair>

// What a fake upstream answers, and how: the body is a list of pieces written one after another (one SSE event
// per piece when streaming), optionally slowly, cut short, or not at all.
struct FakeHttpReply
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QList<QByteArray> pieces;
    bool chunked = false;     // Transfer-Encoding: chunked, one chunk per piece; otherwise Content-Length
    int firstByteDelayMs = 0; // wait before the status line
    int pieceIntervalMs = 0;  // wait between pieces
    int cutAfterPieces = -1;  // close the connection after this many pieces, without a clean end
    bool hang = false;        // read the request, never answer

    void addHeader(const QByteArray& name, const QByteArray& value) { headers.append(qMakePair(name, value)); }

    static FakeHttpReply json(int status, const QJsonDocument& document)
    {
        FakeHttpReply reply;
        reply.status = status;
        reply.addHeader("Content-Type", "application/json");
        reply.pieces.append(document.toJson(QJsonDocument::Compact));
        return reply;
    }
    static FakeHttpReply eventStream(QList<QByteArray> events)
    {
        FakeHttpReply reply;
        reply.addHeader("Content-Type", "text/event-stream; charset=utf-8");
        reply.addHeader("Cache-Control", "no-cache");
        reply.pieces = std::move(events);
        reply.chunked = true;
        return reply;
    }
};
