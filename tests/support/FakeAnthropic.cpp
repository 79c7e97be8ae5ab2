// Formats follow Anthropic's API documentation, looked up for this fake: "Messages" (the Message object and its
// usage: input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens), "Streaming Messages"
// (message_start, content_block_start, ping, content_block_delta, content_block_stop, message_delta with
// usage.output_tokens, message_stop), "Errors" ({"type":"error","error":{"type","message"},"request_id"}, 401
// authentication_error, 429 rate_limit_error, 500 api_error, 529 overloaded_error, request-id header),
// "Rate limits" (retry-after, anthropic-ratelimit-requests-limit/-remaining/-reset as RFC 3339), "Versioning"
// (anthropic-version required), "List Models" ({data:[{type,id,display_name,created_at}],has_more,first_id,last_id}).
#include "FakeAnthropic.h"

#include <QDateTime>
#include <QJsonArray>

namespace {

QByteArray sseEvent(const QString& type, QJsonObject object)
{
    object.insert(QStringLiteral("type"), type);
    return "event: " + type.toUtf8() + "\ndata: " + QJsonDocument(object).toJson(QJsonDocument::Compact) + "\n\n";
}

} // namespace

FakeAnthropic::FakeAnthropic(QObject* parent)
    : FakeProvider({QStringLiteral("claude-sonnet-4-20250514"), QStringLiteral("claude-3-5-haiku-20241022")}, parent)
{}

FakeHttpReply FakeAnthropic::error(int status, const QString& type, const QString& message) const
{
    const QByteArray requestId = "req_" + randomHex(12);
    FakeHttpReply reply = FakeHttpReply::json(
        status, QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("error")},
                                          {QStringLiteral("error"), QJsonObject{{QStringLiteral("type"), type},
                                                                                {QStringLiteral("message"), message}}},
                                          {QStringLiteral("request_id"), QString::fromLatin1(requestId)}}));
    reply.addHeader("request-id", requestId);
    return reply;
}

std::optional<FakeHttpReply> FakeAnthropic::rejectCredentials(const FakeHttpRequest& request) const
{
    if (!request.hasHeader("x-api-key"))
        return error(401, QStringLiteral("authentication_error"), QStringLiteral("x-api-key header is required"));
    if (!isValidKey(QString::fromUtf8(request.header("x-api-key"))))
        return error(401, QStringLiteral("authentication_error"), QStringLiteral("invalid x-api-key"));
    if (!request.hasHeader("anthropic-version"))
        return error(400, QStringLiteral("invalid_request_error"),
                     QStringLiteral("anthropic-version: header is required"));
    return std::nullopt;
}

FakeHttpReply FakeAnthropic::failure(const FakeBehavior& behavior) const
{
    switch (behavior.kind) {
    case FakeBehavior::Kind::RateLimited: {
        FakeHttpReply reply = error(429, QStringLiteral("rate_limit_error"),
                                    QStringLiteral("This request would exceed the rate limit for your organization "
                                                   "of 50 requests per minute. For details, refer to: "
                                                   "https://docs.claude.com/en/api/rate-limits."));
        const QByteArray reset =
            QDateTime::currentDateTimeUtc().addSecs(behavior.amount).toString(Qt::ISODate).toLatin1();
        reply.addHeader("retry-after", QByteArray::number(behavior.amount));
        reply.addHeader("anthropic-ratelimit-requests-limit", "50");
        reply.addHeader("anthropic-ratelimit-requests-remaining", "0");
        reply.addHeader("anthropic-ratelimit-requests-reset", reset);
        return reply;
    }
    case FakeBehavior::Kind::Overloaded:
        return error(529, QStringLiteral("overloaded_error"), QStringLiteral("Overloaded"));
    case FakeBehavior::Kind::InvalidKey:
        return error(401, QStringLiteral("authentication_error"), QStringLiteral("invalid x-api-key"));
    default:
        return error(500, QStringLiteral("api_error"), QStringLiteral("Internal server error"));
    }
}

FakeHttpReply FakeAnthropic::answer(const FakeHttpRequest& request)
{
    FakeHttpReply reply;
    if (request.method == "POST" && request.path == QLatin1String("/v1/messages"))
        reply = message(request);
    else if (request.method == "GET" && request.path == QLatin1String("/v1/models"))
        reply = modelList();
    else
        return error(404, QStringLiteral("not_found_error"), QStringLiteral("Not found"));
    reply.addHeader("request-id", "req_" + randomHex(12));
    return reply;
}

FakeHttpReply FakeAnthropic::message(const FakeHttpRequest& request) const
{
    const QJsonObject body = request.json();
    const QString model = body.value(QStringLiteral("model")).toString();
    if (model.isEmpty())
        return error(400, QStringLiteral("invalid_request_error"), QStringLiteral("model: Field required"));
    const FakeUsage& counts = usage();
    const QString id = QStringLiteral("msg_") + QString::fromLatin1(randomHex(12));
    const auto usageObject = [&](int outputTokens) {
        return QJsonObject{{QStringLiteral("input_tokens"), counts.promptTokens},
                           {QStringLiteral("cache_creation_input_tokens"), counts.cacheCreationTokens},
                           {QStringLiteral("cache_read_input_tokens"), counts.cachedTokens},
                           {QStringLiteral("output_tokens"), outputTokens}};
    };
    const auto messageObject = [&](const QJsonArray& content, const QJsonValue& stopReason, int outputTokens) {
        return QJsonObject{{QStringLiteral("id"), id},
                           {QStringLiteral("type"), QStringLiteral("message")},
                           {QStringLiteral("role"), QStringLiteral("assistant")},
                           {QStringLiteral("model"), model},
                           {QStringLiteral("content"), content},
                           {QStringLiteral("stop_reason"), stopReason},
                           {QStringLiteral("stop_sequence"), QJsonValue::Null},
                           {QStringLiteral("usage"), usageObject(outputTokens)}};
    };

    if (!body.value(QStringLiteral("stream")).toBool()) {
        const QJsonObject text{{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), replyText()}};
        return FakeHttpReply::json(
            200, QJsonDocument(messageObject(QJsonArray{text}, QStringLiteral("end_turn"), counts.completionTokens)));
    }

    QList<QByteArray> events;
    events.append(sseEvent(QStringLiteral("message_start"),
                           {{QStringLiteral("message"), messageObject(QJsonArray(), QJsonValue::Null, 1)}}));
    events.append(
        sseEvent(QStringLiteral("content_block_start"),
                 {{QStringLiteral("index"), 0},
                  {QStringLiteral("content_block"), QJsonObject{{QStringLiteral("type"), QStringLiteral("text")},
                                                                {QStringLiteral("text"), QString()}}}}));
    events.append(sseEvent(QStringLiteral("ping"), {}));
    for (const QString& delta : textDeltas()) {
        events.append(
            sseEvent(QStringLiteral("content_block_delta"),
                     {{QStringLiteral("index"), 0},
                      {QStringLiteral("delta"), QJsonObject{{QStringLiteral("type"), QStringLiteral("text_delta")},
                                                            {QStringLiteral("text"), delta}}}}));
    }
    events.append(sseEvent(QStringLiteral("content_block_stop"), {{QStringLiteral("index"), 0}}));
    events.append(
        sseEvent(QStringLiteral("message_delta"),
                 {{QStringLiteral("delta"), QJsonObject{{QStringLiteral("stop_reason"), QStringLiteral("end_turn")},
                                                        {QStringLiteral("stop_sequence"), QJsonValue::Null}}},
                  {QStringLiteral("usage"), QJsonObject{{QStringLiteral("output_tokens"), counts.completionTokens}}}}));
    events.append(sseEvent(QStringLiteral("message_stop"), {}));
    return FakeHttpReply::eventStream(events);
}

FakeHttpReply FakeAnthropic::modelList() const
{
    QJsonArray data;
    for (const QString& model : models()) {
        data.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("model")},
                                {QStringLiteral("id"), model},
                                {QStringLiteral("display_name"), model},
                                {QStringLiteral("created_at"), QStringLiteral("2025-05-14T00:00:00Z")}});
    }
    const QJsonValue first = data.isEmpty() ? QJsonValue::Null : data.first().toObject().value(QStringLiteral("id"));
    const QJsonValue last = data.isEmpty() ? QJsonValue::Null : data.last().toObject().value(QStringLiteral("id"));
    return FakeHttpReply::json(200, QJsonDocument(QJsonObject{{QStringLiteral("data"), data},
                                                              {QStringLiteral("has_more"), false},
                                                              {QStringLiteral("first_id"), first},
                                                              {QStringLiteral("last_id"), last}}));
}
