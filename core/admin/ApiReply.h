#pragma once

#include "common/ApiErrors.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>

// An admin-API answer: status, JSON body, extra headers. Errors become replies in exactly one place, fromError().
struct ApiReply
{
    int status = 200;
    QJsonDocument body;
    QList<QPair<QByteArray, QByteArray>> headers;

    static ApiReply ok(const QJsonObject& object) { return {200, QJsonDocument(object), {}}; }
    static ApiReply ok(const QJsonArray& array) { return {200, QJsonDocument(array), {}}; }
    static ApiReply created(const QJsonObject& object) { return {201, QJsonDocument(object), {}}; }
    static ApiReply accepted(const QJsonObject& object) { return {202, QJsonDocument(object), {}}; }
    static ApiReply noContent() { return {204, {}, {}}; }

    void addHeader(const QByteArray& name, const QByteArray& value) { headers.append(qMakePair(name, value)); }

    // {"error":{"code":"...","message":"..."}} with the status that fits the code: invalid_argument 400,
    // unauthenticated 401, forbidden 403, not_found 404, method_not_allowed 405, conflict 409,
    // payload_too_large 413, unsupported_media_type 415, too_many_requests 429, bad_gateway 502, anything else 500.
    static ApiReply fromError(const Error& error);
    static int statusFor(const QString& code);
};

// What admin-API handlers return.
using ApiResult = Result<ApiReply>;
