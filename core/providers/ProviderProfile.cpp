#include "providers/ProviderProfile.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {

Error invalid(const QString& message)
{
    return Error::make(QStringLiteral("invalid_argument"), message);
}

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
const char* const kOpenAi = R"({
  "name": "openai",
  "base_url": "https://api.openai.com",
  "auth_header": "authorization", "auth_template": "Bearer {key}",
  "client_key": {"headers": ["authorization"]},
  "error_format": "openai",
  "allowed_routes": ["POST /v1/chat/completions", "POST /v1/completions", "POST /v1/responses",
                     "POST /v1/responses/input_tokens", "POST /v1/embeddings", "POST /v1/moderations",
                     "GET /v1/models", "GET /v1/models/*", "POST /v1/audio/speech",
                     "POST /v1/audio/transcriptions", "POST /v1/audio/translations", "POST /v1/images/generations",
                     "POST /v1/images/edits", "POST /v1/images/variations"],
  "usage": {
    "model": ["model", "response.model"],
    "prompt_tokens": ["usage.prompt_tokens", "usage.input_tokens", "response.usage.input_tokens"],
    "completion_tokens": ["usage.completion_tokens", "usage.output_tokens", "response.usage.output_tokens"],
    "total_tokens": ["usage.total_tokens", "response.usage.total_tokens"],
    "cache_read_tokens": ["usage.prompt_tokens_details.cached_tokens", "usage.input_tokens_details.cached_tokens",
                          "response.usage.input_tokens_details.cached_tokens"]
  }
})";

const char* const kAnthropic = R"({
  "name": "anthropic",
  "base_url": "https://api.anthropic.com",
  "auth_header": "x-api-key", "auth_template": "{key}",
  "default_headers": {"anthropic-version": "2023-06-01"},
  "client_key": {"headers": ["x-api-key", "authorization"]},
  "error_format": "anthropic",
  "allowed_routes": ["POST /v1/messages", "POST /v1/messages/count_tokens", "POST /v1/complete", "GET /v1/models",
                     "GET /v1/models/*"],
  "usage": {
    "model": ["model", "message.model"],
    "prompt_tokens": ["usage.input_tokens", "message.usage.input_tokens"],
    "completion_tokens": ["usage.output_tokens", "message.usage.output_tokens"],
    "cache_read_tokens": ["usage.cache_read_input_tokens", "message.usage.cache_read_input_tokens"],
    "cache_write_tokens": ["usage.cache_creation_input_tokens", "message.usage.cache_creation_input_tokens"],
    "prompt_excludes_cache": true
  }
})";

const char* const kGemini = R"({
  "name": "gemini",
  "base_url": "https://generativelanguage.googleapis.com",
  "auth_header": "x-goog-api-key", "auth_template": "{key}",
  "client_key": {"headers": ["x-goog-api-key"], "query": "key"},
  "error_format": "gemini",
  "allowed_routes": ["POST /v1beta/models/*:generateContent", "POST /v1beta/models/*:streamGenerateContent",
                     "POST /v1beta/models/*:countTokens", "POST /v1beta/models/*:embedContent",
                     "POST /v1beta/models/*:batchEmbedContents", "GET /v1beta/models", "GET /v1beta/models/*",
                     "POST /v1/models/*:generateContent", "POST /v1/models/*:streamGenerateContent",
                     "POST /v1/models/*:countTokens", "POST /v1/models/*:embedContent",
                     "POST /v1/models/*:batchEmbedContents", "GET /v1/models", "GET /v1/models/*"],
  "usage": {
    "model": ["modelVersion"],
    "model_from_path": "/models/{model}:",
    "prompt_tokens": ["usageMetadata.promptTokenCount"],
    "completion_tokens": ["usageMetadata.candidatesTokenCount"],
    "total_tokens": ["usageMetadata.totalTokenCount"],
    "cache_read_tokens": ["usageMetadata.cachedContentTokenCount"]
  }
})";

} // namespace

Result<ProviderProfile> ProviderProfile::fromJson(const QJsonObject& json)
{
    ProviderProfile profile;
    profile.name = json.value(QStringLiteral("name")).toString();
    if (profile.name.isEmpty())
        return invalid(QStringLiteral("provider type needs a name"));

    profile.baseUrl = QUrl(json.value(QStringLiteral("base_url")).toString(), QUrl::StrictMode);
    const QString scheme = profile.baseUrl.scheme();
    if (!profile.baseUrl.isValid() || profile.baseUrl.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return invalid(QStringLiteral("base_url must be an http or https URL"));
    profile.origin = UpstreamOrigin::fromUrl(profile.baseUrl);
    profile.basePath = profile.baseUrl.path(QUrl::FullyEncoded).toLatin1();
    while (profile.basePath.endsWith('/'))
        profile.basePath.chop(1);

    profile.authHeader = json.value(QStringLiteral("auth_header")).toString().toLatin1().toLower();
    profile.authTemplate = json.value(QStringLiteral("auth_template")).toString().toLatin1();
    if (profile.authHeader.isEmpty() || !profile.authTemplate.contains("{key}"))
        return invalid(QStringLiteral("auth_header is required and auth_template must contain {key}"));

    const QJsonObject defaults = json.value(QStringLiteral("default_headers")).toObject();
    for (auto it = defaults.begin(); it != defaults.end(); ++it)
        profile.defaultHeaders.append({it.key().toLatin1().toLower(), it.value().toString().toLatin1()});

    const QJsonObject clientKey = json.value(QStringLiteral("client_key")).toObject();
    for (const QJsonValue& header : clientKey.value(QStringLiteral("headers")).toArray())
        profile.clientKeyHeaders.append(header.toString().toLatin1().toLower());
    profile.clientKeyQuery = clientKey.value(QStringLiteral("query")).toString().toLatin1();
    if (profile.clientKeyHeaders.isEmpty() && profile.clientKeyQuery.isEmpty())
        return invalid(QStringLiteral("client_key must name at least one header or a query parameter"));

    const auto format = ProviderErrors::formatFromName(json.value(QStringLiteral("error_format")).toString());
    if (!format)
        return invalid(QStringLiteral("error_format must be openai, anthropic or gemini"));
    profile.errorFormat = *format;

    auto routes = RouteAllowlist::fromJson(json.value(QStringLiteral("allowed_routes")));
    if (!routes)
        return routes.error();
    profile.allowedRoutes = std::move(routes).value();

    auto usage = UsagePaths::fromJson(json.value(QStringLiteral("usage")).toObject());
    if (!usage)
        return usage.error();
    profile.usage = std::move(usage).value();
    profile.usageMatcher = std::make_shared<const UsageMatcher>(profile.usage);
    return profile;
}

QStringList ProviderProfile::builtinNames()
{
    return {QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("gemini")};
}

QJsonObject ProviderProfile::builtinJson(const QString& name)
{
    const char* text = name == QLatin1String("openai")      ? kOpenAi
                       : name == QLatin1String("anthropic") ? kAnthropic
                       : name == QLatin1String("gemini")    ? kGemini
                                                            : nullptr;
    return text ? QJsonDocument::fromJson(text).object() : QJsonObject();
}

ProviderProfile ProviderProfile::builtin(const QString& name)
{
    auto profile = fromJson(builtinJson(name));
    Q_ASSERT_X(profile.ok(), "ProviderProfile::builtin", qPrintable(name));
    return profile.ok() ? std::move(profile).value() : ProviderProfile();
}
