#pragma once

#include "common/TokenCounts.h"

#include <QByteArray>
#include <QString>

// One proxied request, success or failure: a row of the traces table. Ids are 0 when not known (the request
// failed before its key, user, type or provider key was known).
struct TraceRecord
{
    QByteArray requestId;
    qint64 createdAtMs = 0;
    qint64 gatewayKeyId = 0;
    qint64 userId = 0;
    qint64 providerTypeId = 0;
    qint64 providerKeyId = 0;
    QByteArray method;
    QByteArray path; // without the query: it may carry a key
    QString model;
    int status = 0; // sent to the client; 0 when the client left before a status was sent
    bool success = false;
    // auth, limit, upstream_connect, upstream_timeout, upstream_status, stream_cut, client_gone, shutdown
    QString errorKind;
    QString errorMessage;
    TokenCounts tokens;
    qint64 costMicros = 0;
    int durationMs = 0;
    int ttfbMs = -1; // -1: no byte reached the client
    int retries = 0;
    bool streamed = false;
    QString clientAddress;
};
