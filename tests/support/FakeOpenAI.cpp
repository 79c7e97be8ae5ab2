// Formats follow the OpenAI API reference and guides, looked up for this fake:
// "Chat Completions: create" and ChatCompletionStreamOptions (include_usage: one extra chunk before data: [DONE]
// with empty choices and the usage; other chunks carry "usage": null), "Streaming responses" (Responses API
// semantic events response.created ... response.completed, each with type and sequence_number, no [DONE]),
// "Embeddings: create", "Models: list", "Error codes" (401 invalid_api_key, 429 rate_limit_exceeded, 500, 503;
// 401 mismatched_organization and 403 model_not_found as OpenAI's SDK users report them),
// "Rate limits" (x-ratelimit-limit/remaining/reset-requests and -tokens headers).
#include "FakeOpenAI.h"

#include <QDateTime>
#include <QJsonArray>

namespace {

QByteArray dataEvent(const QJsonObject& object)
{
    return "data: " + QJsonDocument(object).toJson(QJsonDocument::Compact) + "\n\n";
}

QByteArray namedEvent(const QString& type, QJsonObject object, int& sequence)
{
    object.insert(QStringLiteral("type"), type);
    object.insert(QStringLiteral("sequence_number"), sequence++);
    return "event: " + type.toUtf8() + "\ndata: " + QJsonDocument(object).toJson(QJsonDocument::Compact) + "\n\n";
}

qint64 nowSeconds()
{
    return QDateTime::currentSecsSinceEpoch();
}

} // namespace

FakeOpenAI::FakeOpenAI(QObject* parent)
    : FakeProvider({QStringLiteral("gpt-4o-mini"), QStringLiteral("gpt-4o"), QStringLiteral("text-embedding-3-small")},
                   parent)
{}

FakeHttpReply FakeOpenAI::error(int status, const QString& message, const QString& type, const QJsonValue& code) const
{
    const QJsonObject body{{QStringLiteral("error"), QJsonObject{{QStringLiteral("message"), message},
                                                                 {QStringLiteral("type"), type},
                                                                 {QStringLiteral("param"), QJsonValue::Null},
                                                                 {QStringLiteral("code"), code}}}};
    FakeHttpReply reply = FakeHttpReply::json(status, QJsonDocument(body));
    reply.addHeader("x-request-id", "req_" + randomHex(16));
    return reply;
}

std::optional<FakeHttpReply> FakeOpenAI::rejectCredentials(const FakeHttpRequest& request) const
{
    const QByteArray authorization = request.header("authorization");
    if (!authorization.startsWith("Bearer ")) {
        return error(401,
                     QStringLiteral("You didn't provide an API key. You need to provide your API key in an "
                                    "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), "
                                    "or as the password field (with blank username) if you're accessing the API "
                                    "from your browser and are prompted for a username and password. You can "
                                    "obtain an API key from https://platform.openai.com/account/api-keys."),
                     QStringLiteral("invalid_request_error"), QJsonValue::Null);
    }
    const QString key = QString::fromUtf8(authorization.mid(7));
    const QByteArray organization = request.header("openai-organization");
    if (isValidKey(key) && !organization.isEmpty() && organization != kOrganization)
        return error(401, QStringLiteral("OpenAI-Organization header should match organization for API key"),
                     QStringLiteral("invalid_request_error"), QStringLiteral("mismatched_organization"));
    if (isValidKey(key))
        return std::nullopt;
    const QString shown = key.left(3) + QString(qMax(0, int(key.size()) - 7), QLatin1Char('*')) + key.right(4);
    return error(401,
                 QStringLiteral("Incorrect API key provided: %1. You can find your API key at "
                                "https://platform.openai.com/account/api-keys.")
                     .arg(shown),
                 QStringLiteral("invalid_request_error"), QStringLiteral("invalid_api_key"));
}

FakeHttpReply FakeOpenAI::failure(const FakeBehavior& behavior) const
{
    switch (behavior.kind) {
    case FakeBehavior::Kind::RateLimited: {
        FakeHttpReply reply =
            error(429,
                  QStringLiteral("Rate limit reached for gpt-4o-mini in organization org-fake on requests per min "
                                 "(RPM): Limit 3, Used 3, Requested 1. Please try again in %1s.")
                      .arg(behavior.amount),
                  QStringLiteral("requests"), QStringLiteral("rate_limit_exceeded"));
        const QByteArray reset = QByteArray::number(behavior.amount) + 's';
        reply.addHeader("retry-after", QByteArray::number(behavior.amount));
        reply.addHeader("x-ratelimit-limit-requests", "3");
        reply.addHeader("x-ratelimit-remaining-requests", "0");
        reply.addHeader("x-ratelimit-reset-requests", reset);
        reply.addHeader("x-ratelimit-limit-tokens", "40000");
        reply.addHeader("x-ratelimit-remaining-tokens", "39000");
        reply.addHeader("x-ratelimit-reset-tokens", "1.5s");
        return reply;
    }
    case FakeBehavior::Kind::Overloaded:
        return error(503, QStringLiteral("The engine is currently overloaded, please try again later."),
                     QStringLiteral("server_error"), QJsonValue::Null);
    case FakeBehavior::Kind::InvalidKey:
        return error(401,
                     QStringLiteral("Incorrect API key provided: sk-****. You can find your API key at "
                                    "https://platform.openai.com/account/api-keys."),
                     QStringLiteral("invalid_request_error"), QStringLiteral("invalid_api_key"));
    default:
        return error(500, QStringLiteral("The server had an error while processing your request. Sorry about that!"),
                     QStringLiteral("server_error"), QJsonValue::Null);
    }
}

FakeHttpReply FakeOpenAI::answer(const FakeHttpRequest& request)
{
    FakeHttpReply reply;
    if (request.method == "POST" && request.path == QLatin1String("/v1/chat/completions"))
        reply = chatCompletion(request);
    else if (request.method == "POST" && request.path == QLatin1String("/v1/responses"))
        reply = response(request);
    else if (request.method == "POST" && request.path == QLatin1String("/v1/embeddings"))
        reply = embeddings(request);
    else if (request.method == "GET" && request.path == QLatin1String("/v1/models"))
        reply = modelList();
    else
        return error(404, QStringLiteral("Invalid URL (%1 %2)").arg(QString::fromUtf8(request.method), request.path),
                     QStringLiteral("invalid_request_error"), QJsonValue::Null);
    reply.addHeader("x-request-id", "req_" + randomHex(16));
    reply.addHeader("openai-processing-ms", "12");
    return reply;
}

FakeHttpReply FakeOpenAI::chatCompletion(const FakeHttpRequest& request) const
{
    const QJsonObject body = request.json();
    const QString model = body.value(QStringLiteral("model")).toString();
    if (model.isEmpty()) {
        return error(400, QStringLiteral("you must provide a model parameter"), QStringLiteral("invalid_request_error"),
                     QJsonValue::Null);
    }
    if (m_deniedModels.contains(model))
        return error(403, QStringLiteral("Project `proj_fake` does not have access to model `%1`").arg(model),
                     QStringLiteral("invalid_request_error"), QStringLiteral("model_not_found"));
    const FakeUsage& counts = usage();
    const QJsonObject usageObject{
        {QStringLiteral("prompt_tokens"), counts.promptTokens},
        {QStringLiteral("completion_tokens"), counts.completionTokens},
        {QStringLiteral("total_tokens"), counts.promptTokens + counts.completionTokens},
        {QStringLiteral("prompt_tokens_details"),
         QJsonObject{{QStringLiteral("cached_tokens"), counts.cachedTokens}, {QStringLiteral("audio_tokens"), 0}}},
        {QStringLiteral("completion_tokens_details"), QJsonObject{{QStringLiteral("reasoning_tokens"), 0},
                                                                  {QStringLiteral("audio_tokens"), 0},
                                                                  {QStringLiteral("accepted_prediction_tokens"), 0},
                                                                  {QStringLiteral("rejected_prediction_tokens"), 0}}}};
    const QString id = QStringLiteral("chatcmpl-") + QString::fromLatin1(randomHex(12));
    const qint64 created = nowSeconds();

    if (!body.value(QStringLiteral("stream")).toBool()) {
        const QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                                  {QStringLiteral("content"), replyText()},
                                  {QStringLiteral("refusal"), QJsonValue::Null},
                                  {QStringLiteral("annotations"), QJsonArray()}};
        const QJsonObject choice{{QStringLiteral("index"), 0},
                                 {QStringLiteral("message"), message},
                                 {QStringLiteral("logprobs"), QJsonValue::Null},
                                 {QStringLiteral("finish_reason"), QStringLiteral("stop")}};
        return FakeHttpReply::json(
            200, QJsonDocument(QJsonObject{{QStringLiteral("id"), id},
                                           {QStringLiteral("object"), QStringLiteral("chat.completion")},
                                           {QStringLiteral("created"), created},
                                           {QStringLiteral("model"), model},
                                           {QStringLiteral("choices"), QJsonArray{choice}},
                                           {QStringLiteral("usage"), usageObject},
                                           {QStringLiteral("service_tier"), QStringLiteral("default")},
                                           {QStringLiteral("system_fingerprint"), QStringLiteral("fp_fake")}}));
    }

    const bool includeUsage =
        body.value(QStringLiteral("stream_options")).toObject().value(QStringLiteral("include_usage")).toBool();
    const auto chunk = [&](const QJsonArray& choices) {
        QJsonObject object{{QStringLiteral("id"), id},
                           {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                           {QStringLiteral("created"), created},
                           {QStringLiteral("model"), model},
                           {QStringLiteral("service_tier"), QStringLiteral("default")},
                           {QStringLiteral("system_fingerprint"), QStringLiteral("fp_fake")},
                           {QStringLiteral("choices"), choices}};
        if (includeUsage)
            object.insert(QStringLiteral("usage"), QJsonValue::Null);
        return object;
    };
    const auto choice = [](const QJsonObject& delta, const QJsonValue& finishReason) {
        return QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                      {QStringLiteral("delta"), delta},
                                      {QStringLiteral("logprobs"), QJsonValue::Null},
                                      {QStringLiteral("finish_reason"), finishReason}}};
    };

    QList<QByteArray> events;
    events.append(dataEvent(chunk(choice(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                                     {QStringLiteral("content"), QString()},
                                                     {QStringLiteral("refusal"), QJsonValue::Null}},
                                         QJsonValue::Null))));
    for (const QString& delta : textDeltas())
        events.append(dataEvent(chunk(choice(QJsonObject{{QStringLiteral("content"), delta}}, QJsonValue::Null))));
    events.append(dataEvent(chunk(choice(QJsonObject(), QStringLiteral("stop")))));
    if (includeUsage) {
        QJsonObject last = chunk(QJsonArray());
        last.insert(QStringLiteral("usage"), usageObject);
        events.append(dataEvent(last));
    }
    events.append("data: [DONE]\n\n");
    return FakeHttpReply::eventStream(events);
}

FakeHttpReply FakeOpenAI::response(const FakeHttpRequest& request) const
{
    const QJsonObject body = request.json();
    const QString model = body.value(QStringLiteral("model")).toString();
    const FakeUsage& counts = usage();
    const QString id = QStringLiteral("resp_") + QString::fromLatin1(randomHex(16));
    const QString itemId = QStringLiteral("msg_") + QString::fromLatin1(randomHex(16));
    const qint64 created = nowSeconds();

    const QJsonObject finalPart{{QStringLiteral("type"), QStringLiteral("output_text")},
                                {QStringLiteral("text"), replyText()},
                                {QStringLiteral("annotations"), QJsonArray()}};
    const auto item = [&](const QString& status, const QJsonArray& content) {
        return QJsonObject{{QStringLiteral("id"), itemId},
                           {QStringLiteral("type"), QStringLiteral("message")},
                           {QStringLiteral("status"), status},
                           {QStringLiteral("role"), QStringLiteral("assistant")},
                           {QStringLiteral("content"), content}};
    };
    const auto responseObject = [&](const QString& status, const QJsonArray& output, const QJsonValue& usageValue) {
        return QJsonObject{{QStringLiteral("id"), id},
                           {QStringLiteral("object"), QStringLiteral("response")},
                           {QStringLiteral("created_at"), created},
                           {QStringLiteral("status"), status},
                           {QStringLiteral("error"), QJsonValue::Null},
                           {QStringLiteral("incomplete_details"), QJsonValue::Null},
                           {QStringLiteral("model"), model},
                           {QStringLiteral("output"), output},
                           {QStringLiteral("usage"), usageValue}};
    };
    const QJsonObject usageObject{
        {QStringLiteral("input_tokens"), counts.promptTokens},
        {QStringLiteral("input_tokens_details"), QJsonObject{{QStringLiteral("cached_tokens"), counts.cachedTokens}}},
        {QStringLiteral("output_tokens"), counts.completionTokens},
        {QStringLiteral("output_tokens_details"), QJsonObject{{QStringLiteral("reasoning_tokens"), 0}}},
        {QStringLiteral("total_tokens"), counts.promptTokens + counts.completionTokens}};
    const QJsonObject completed = responseObject(
        QStringLiteral("completed"), QJsonArray{item(QStringLiteral("completed"), {finalPart})}, usageObject);

    if (!body.value(QStringLiteral("stream")).toBool())
        return FakeHttpReply::json(200, QJsonDocument(completed));

    int sequence = 0;
    const QJsonObject inProgress = responseObject(QStringLiteral("in_progress"), QJsonArray(), QJsonValue::Null);
    const QJsonObject position{
        {QStringLiteral("item_id"), itemId}, {QStringLiteral("output_index"), 0}, {QStringLiteral("content_index"), 0}};
    const auto at = [&](QJsonObject object) {
        for (auto it = position.begin(); it != position.end(); ++it)
            object.insert(it.key(), it.value());
        return object;
    };
    QList<QByteArray> events;
    events.append(namedEvent(QStringLiteral("response.created"), {{QStringLiteral("response"), inProgress}}, sequence));
    events.append(
        namedEvent(QStringLiteral("response.in_progress"), {{QStringLiteral("response"), inProgress}}, sequence));
    events.append(namedEvent(QStringLiteral("response.output_item.added"),
                             {{QStringLiteral("output_index"), 0},
                              {QStringLiteral("item"), item(QStringLiteral("in_progress"), QJsonArray())}},
                             sequence));
    QJsonObject emptyPart = finalPart;
    emptyPart.insert(QStringLiteral("text"), QString());
    events.append(
        namedEvent(QStringLiteral("response.content_part.added"), at({{QStringLiteral("part"), emptyPart}}), sequence));
    for (const QString& delta : textDeltas()) {
        events.append(namedEvent(QStringLiteral("response.output_text.delta"),
                                 at({{QStringLiteral("delta"), delta}, {QStringLiteral("logprobs"), QJsonArray()}}),
                                 sequence));
    }
    events.append(namedEvent(QStringLiteral("response.output_text.done"),
                             at({{QStringLiteral("text"), replyText()}, {QStringLiteral("logprobs"), QJsonArray()}}),
                             sequence));
    events.append(
        namedEvent(QStringLiteral("response.content_part.done"), at({{QStringLiteral("part"), finalPart}}), sequence));
    events.append(namedEvent(
        QStringLiteral("response.output_item.done"),
        {{QStringLiteral("output_index"), 0}, {QStringLiteral("item"), item(QStringLiteral("completed"), {finalPart})}},
        sequence));
    events.append(
        namedEvent(QStringLiteral("response.completed"), {{QStringLiteral("response"), completed}}, sequence));
    return FakeHttpReply::eventStream(events);
}

FakeHttpReply FakeOpenAI::embeddings(const FakeHttpRequest& request) const
{
    const QJsonObject body = request.json();
    const QJsonValue input = body.value(QStringLiteral("input"));
    const qsizetype inputs = input.isArray() ? input.toArray().size() : 1;
    QJsonArray data;
    for (qsizetype i = 0; i < inputs; ++i) {
        QJsonArray vector;
        for (int d = 0; d < 8; ++d)
            vector.append(double(d + 1) / 10.0 - double(i) / 100.0);
        data.append(QJsonObject{{QStringLiteral("object"), QStringLiteral("embedding")},
                                {QStringLiteral("index"), int(i)},
                                {QStringLiteral("embedding"), vector}});
    }
    return FakeHttpReply::json(
        200, QJsonDocument(QJsonObject{
                 {QStringLiteral("object"), QStringLiteral("list")},
                 {QStringLiteral("data"), data},
                 {QStringLiteral("model"), body.value(QStringLiteral("model"))},
                 {QStringLiteral("usage"), QJsonObject{{QStringLiteral("prompt_tokens"), usage().promptTokens},
                                                       {QStringLiteral("total_tokens"), usage().promptTokens}}}}));
}

FakeHttpReply FakeOpenAI::modelList() const
{
    QJsonArray data;
    for (const QString& model : models()) {
        data.append(QJsonObject{{QStringLiteral("id"), model},
                                {QStringLiteral("object"), QStringLiteral("model")},
                                {QStringLiteral("created"), 1686935002},
                                {QStringLiteral("owned_by"), QStringLiteral("system")}});
    }
    return FakeHttpReply::json(200, QJsonDocument(QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                                                              {QStringLiteral("data"), data}}));
}
