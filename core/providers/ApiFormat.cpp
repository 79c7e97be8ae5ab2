#include "providers/ApiFormat.h"

#include <QJsonDocument>
#include <QRegularExpression>

namespace ApiFormat {
namespace {

// Response shapes these paths cover (each checked against the providers' API references):
// - OpenAI chat completions: usage.{prompt,completion,total}_tokens, usage.prompt_tokens_details.cached_tokens;
//   streamed, the last chunk before [DONE] (choices: []) carries usage when stream_options.include_usage is set.
// - OpenAI responses: usage.{input,output,total}_tokens, usage.input_tokens_details.cached_tokens; streamed, the
//   response.completed event carries response.usage and response.model.
// - OpenAI embeddings: usage.{prompt,total}_tokens.
// - Anthropic messages: usage.{input,output}_tokens, usage.cache_{creation,read}_input_tokens, input_tokens leaving
//   the cache tokens out; streamed, message_start carries message.usage and message.model, message_delta the
//   cumulative usage.
// - Gemini generateContent / streamGenerateContent: usageMetadata.{promptTokenCount,candidatesTokenCount,
//   totalTokenCount,cachedContentTokenCount}, modelVersion; the model named in the path wins.

// OpenAI: chat completions (usage.prompt_tokens...) and responses (usage.input_tokens...); in chat streams the final
// chunk carries usage at the root, in responses streams the response.* events hold it under "response".
constexpr const char* kOpenAi = R"({
  "authHeader": "Authorization", "authTemplate": "Bearer {key}", "keyQueryParam": null, "defaultHeaders": {},
  "usagePaths": {
    "prompt_tokens": ["usage.prompt_tokens", "usage.input_tokens"],
    "completion_tokens": ["usage.completion_tokens", "usage.output_tokens"],
    "total_tokens": ["usage.total_tokens"],
    "cache_read_tokens": ["usage.prompt_tokens_details.cached_tokens", "usage.input_tokens_details.cached_tokens"],
    "cache_write_tokens": []},
  "modelPaths": {"response": ["model"], "request": ["model"]},
  "streamEventRoots": {"response.created": "response", "response.completed": "response",
                       "response.incomplete": "response", "response.failed": "response"},
  "probeMethod": "GET", "probePath": "/v1/models",
  "allowedRoutes": [
    "POST /v1/chat/completions",
    "POST /v1/completions",
    "POST /v1/responses",
    "POST /v1/responses/input_tokens",
    "POST /v1/embeddings",
    "POST /v1/moderations",
    "GET /v1/models",
    "GET /v1/models/*",
    "POST /v1/audio/speech",
    "POST /v1/audio/transcriptions",
    "POST /v1/audio/translations",
    "POST /v1/images/generations",
    "POST /v1/images/edits",
    "POST /v1/images/variations"
  ]})";

// Anthropic: message_start holds the model and input usage under "message", message_delta the output usage.
constexpr const char* kAnthropic = R"({
  "authHeader": "x-api-key", "authTemplate": "{key}", "keyQueryParam": null,
  "defaultHeaders": {"anthropic-version": "2023-06-01"},
  "usagePaths": {
    "prompt_tokens": ["usage.input_tokens"],
    "completion_tokens": ["usage.output_tokens"],
    "total_tokens": [],
    "cache_read_tokens": ["usage.cache_read_input_tokens"],
    "cache_write_tokens": ["usage.cache_creation_input_tokens"]},
  "modelPaths": {"response": ["model"], "request": ["model"]},
  "streamEventRoots": {"message_start": "message"},
  "probeMethod": "GET", "probePath": "/v1/models",
  "allowedRoutes": [
    "POST /v1/messages",
    "POST /v1/messages/count_tokens",
    "POST /v1/complete",
    "GET /v1/models",
    "GET /v1/models/*"
  ]})";

// Gemini: every (stream) chunk carries usageMetadata and modelVersion; the model is also in the URL path
// (models/{model}:generateContent); clients may send the key as ?key=.
constexpr const char* kGemini = R"({
  "authHeader": "x-goog-api-key", "authTemplate": "{key}", "keyQueryParam": "key", "defaultHeaders": {},
  "usagePaths": {
    "prompt_tokens": ["usageMetadata.promptTokenCount"],
    "completion_tokens": ["usageMetadata.candidatesTokenCount"],
    "total_tokens": ["usageMetadata.totalTokenCount"],
    "cache_read_tokens": ["usageMetadata.cachedContentTokenCount"],
    "cache_write_tokens": []},
  "modelPaths": {"response": ["modelVersion"], "url": "models/{model}:"},
  "streamEventRoots": {},
  "probeMethod": "GET", "probePath": "/v1beta/models",
  "allowedRoutes": [
    "POST /v1beta/models/*:generateContent",
    "POST /v1beta/models/*:streamGenerateContent",
    "POST /v1beta/models/*:countTokens",
    "POST /v1beta/models/*:embedContent",
    "POST /v1beta/models/*:batchEmbedContents",
    "GET /v1beta/models",
    "GET /v1beta/models/*",
    "POST /v1/models/*:generateContent",
    "POST /v1/models/*:streamGenerateContent",
    "POST /v1/models/*:countTokens",
    "POST /v1/models/*:embedContent",
    "POST /v1/models/*:batchEmbedContents",
    "GET /v1/models",
    "GET /v1/models/*"
  ]})";

} // namespace

QStringList names()
{
    return {QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("gemini")};
}

QJsonObject typeDefaults(const QString& format)
{
    const char* text = format == QLatin1String("openai")      ? kOpenAi
                       : format == QLatin1String("anthropic") ? kAnthropic
                       : format == QLatin1String("gemini")    ? kGemini
                                                              : nullptr;
    return text ? QJsonDocument::fromJson(text).object() : QJsonObject();
}

QString versionSuffix(const QString& path)
{
    static const QRegularExpression version(QStringLiteral("/(v1|v1beta|v1alpha)/*$"),
                                            QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = version.match(path);
    return match.hasMatch() ? QLatin1Char('/') + match.captured(1) : QString();
}

} // namespace ApiFormat
