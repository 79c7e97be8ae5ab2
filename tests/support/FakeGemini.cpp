// Formats follow the Gemini API documentation, looked up for this fake: "Generating content" (generateContent,
// streamGenerateContent with alt=sse; GenerateContentResponse with candidates, usageMetadata {promptTokenCount,
// candidatesTokenCount, totalTokenCount, cachedContentTokenCount}, modelVersion, responseId), "Models: list"
// ({models:[{name:"models/...",displayName,inputTokenLimit,outputTokenLimit,supportedGenerationMethods}]}),
// "Using Gemini API keys" (x-goog-api-key header or key= query parameter), "Troubleshooting guide" (error codes
// 400 INVALID_ARGUMENT, 403 PERMISSION_DENIED, 429 RESOURCE_EXHAUSTED, 500 INTERNAL, 503 UNAVAILABLE and the body
// {"error":{"code","message","status","details"}}). The API_KEY_INVALID and "unregistered callers" bodies and the
// CRLF framing of alt=sse events are as reported in google-gemini/gemini-cli and client SDK issues.
#include "FakeGemini.h"

#include <QJsonArray>
#include <QRegularExpression>

FakeGemini::FakeGemini(QObject* parent)
    : FakeProvider({QStringLiteral("gemini-2.0-flash"), QStringLiteral("gemini-2.5-pro")}, parent)
{}

FakeHttpReply FakeGemini::error(int status, const QString& grpcStatus, const QString& message,
                                const QJsonArray& details) const
{
    QJsonObject inner{
        {QStringLiteral("code"), status}, {QStringLiteral("message"), message}, {QStringLiteral("status"), grpcStatus}};
    if (!details.isEmpty())
        inner.insert(QStringLiteral("details"), details);
    return FakeHttpReply::json(status, QJsonDocument(QJsonObject{{QStringLiteral("error"), inner}}));
}

std::optional<FakeHttpReply> FakeGemini::rejectCredentials(const FakeHttpRequest& request) const
{
    QString key = QString::fromUtf8(request.header("x-goog-api-key"));
    if (key.isEmpty())
        key = request.query.queryItemValue(QStringLiteral("key"));
    if (key.isEmpty()) {
        return error(403, QStringLiteral("PERMISSION_DENIED"),
                     QStringLiteral("Method doesn't allow unregistered callers (callers without established "
                                    "identity). Please use API Key or other form of API consumer identity to call "
                                    "this API."));
    }
    if (isValidKey(key))
        return std::nullopt;
    return failure(FakeBehavior::invalidKey());
}

FakeHttpReply FakeGemini::failure(const FakeBehavior& behavior) const
{
    switch (behavior.kind) {
    case FakeBehavior::Kind::RateLimited: {
        FakeHttpReply reply =
            error(429, QStringLiteral("RESOURCE_EXHAUSTED"),
                  QStringLiteral("You exceeded your current quota, please check your plan and billing details."));
        reply.addHeader("Retry-After", QByteArray::number(behavior.amount));
        return reply;
    }
    case FakeBehavior::Kind::Overloaded:
        return error(503, QStringLiteral("UNAVAILABLE"),
                     QStringLiteral("The model is overloaded. Please try again later."));
    case FakeBehavior::Kind::InvalidKey: {
        const QString message = QStringLiteral("API key not valid. Please pass a valid API key.");
        const QJsonArray details{
            QJsonObject{
                {QStringLiteral("@type"), QStringLiteral("type.googleapis.com/google.rpc.ErrorInfo")},
                {QStringLiteral("reason"), QStringLiteral("API_KEY_INVALID")},
                {QStringLiteral("domain"), QStringLiteral("googleapis.com")},
                {QStringLiteral("metadata"),
                 QJsonObject{{QStringLiteral("service"), QStringLiteral("generativelanguage.googleapis.com")}}}},
            QJsonObject{{QStringLiteral("@type"), QStringLiteral("type.googleapis.com/google.rpc.LocalizedMessage")},
                        {QStringLiteral("locale"), QStringLiteral("en-US")},
                        {QStringLiteral("message"), message}}};
        return error(400, QStringLiteral("INVALID_ARGUMENT"), message, details);
    }
    default:
        return error(500, QStringLiteral("INTERNAL"),
                     QStringLiteral("An internal error has occurred. Please retry or report in "
                                    "https://developers.generativeai.google/guide/troubleshooting"));
    }
}

FakeHttpReply FakeGemini::answer(const FakeHttpRequest& request)
{
    static const QRegularExpression generatePath(
        QStringLiteral("^/v1beta/models/([^/:]+):(generateContent|streamGenerateContent)$"));
    if (request.method == "GET" && request.path == QLatin1String("/v1beta/models"))
        return modelList();
    const QRegularExpressionMatch match = generatePath.match(request.path);
    if (request.method == "POST" && match.hasMatch())
        return generate(match.captured(1), match.captured(2) == QLatin1String("streamGenerateContent"), request);
    return error(404, QStringLiteral("NOT_FOUND"),
                 QStringLiteral("Requested entity was not found: %1").arg(request.path));
}

FakeHttpReply FakeGemini::generate(const QString& model, bool stream, const FakeHttpRequest& request) const
{
    const FakeUsage& counts = usage();
    const QString responseId = QString::fromLatin1(randomHex(12));
    const auto chunk = [&](const QString& text, bool last) {
        QJsonObject candidate{
            {QStringLiteral("content"),
             QJsonObject{{QStringLiteral("parts"), QJsonArray{QJsonObject{{QStringLiteral("text"), text}}}},
                         {QStringLiteral("role"), QStringLiteral("model")}}},
            {QStringLiteral("index"), 0}};
        QJsonObject usageMetadata{{QStringLiteral("promptTokenCount"), counts.promptTokens},
                                  {QStringLiteral("totalTokenCount"), counts.promptTokens}};
        if (last) {
            candidate.insert(QStringLiteral("finishReason"), QStringLiteral("STOP"));
            usageMetadata.insert(QStringLiteral("candidatesTokenCount"), counts.completionTokens);
            usageMetadata.insert(QStringLiteral("totalTokenCount"), counts.promptTokens + counts.completionTokens);
            if (counts.cachedTokens > 0)
                usageMetadata.insert(QStringLiteral("cachedContentTokenCount"), counts.cachedTokens);
            usageMetadata.insert(QStringLiteral("promptTokensDetails"),
                                 QJsonArray{QJsonObject{{QStringLiteral("modality"), QStringLiteral("TEXT")},
                                                        {QStringLiteral("tokenCount"), counts.promptTokens}}});
        }
        return QJsonObject{{QStringLiteral("candidates"), QJsonArray{candidate}},
                           {QStringLiteral("usageMetadata"), usageMetadata},
                           {QStringLiteral("modelVersion"), model},
                           {QStringLiteral("responseId"), responseId}};
    };

    if (!stream)
        return FakeHttpReply::json(200, QJsonDocument(chunk(replyText(), true)));

    const QStringList deltas = textDeltas();
    QList<QJsonObject> chunks;
    for (qsizetype i = 0; i < deltas.size(); ++i)
        chunks.append(chunk(deltas.at(i), i + 1 == deltas.size()));

    if (request.query.queryItemValue(QStringLiteral("alt")) == QLatin1String("sse")) {
        QList<QByteArray> events;
        for (const QJsonObject& object : chunks)
            events.append("data: " + QJsonDocument(object).toJson(QJsonDocument::Compact) + "\r\n\r\n");
        return FakeHttpReply::eventStream(events);
    }
    // Without alt=sse the stream is one JSON array, sent element by element as the model produces them.
    FakeHttpReply reply;
    reply.addHeader("Content-Type", "application/json; charset=UTF-8");
    reply.chunked = true;
    for (qsizetype i = 0; i < chunks.size(); ++i)
        reply.pieces.append((i == 0 ? "[" : ",\r\n") + QJsonDocument(chunks.at(i)).toJson(QJsonDocument::Compact));
    reply.pieces.append("]");
    return reply;
}

FakeHttpReply FakeGemini::modelList() const
{
    QJsonArray list;
    for (const QString& model : models()) {
        list.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("models/") + model},
                                {QStringLiteral("version"), QStringLiteral("001")},
                                {QStringLiteral("displayName"), model},
                                {QStringLiteral("inputTokenLimit"), 1048576},
                                {QStringLiteral("outputTokenLimit"), 8192},
                                {QStringLiteral("supportedGenerationMethods"),
                                 QJsonArray{QStringLiteral("generateContent"), QStringLiteral("countTokens")}}});
    }
    return FakeHttpReply::json(200, QJsonDocument(QJsonObject{{QStringLiteral("models"), list}}));
}
