#pragma once

#include <QJsonObject>
#include <QStringList>

// The API dialects a provider type speaks (its apiFormat) and what each implies. A new type takes these values, in
// the admin API's field names, for every field its creator leaves out: an OpenAI-compatible server (vLLM, Ollama,
// Groq, Together...) needs only a name, a display name, apiFormat "openai" and its base URL to be metered and
// probed like OpenAI itself.
namespace ApiFormat {

QStringList names(); // openai, anthropic, gemini

// authHeader, authTemplate, keyQueryParam, defaultHeaders, usagePaths, modelPaths, streamEventRoots, probeMethod,
// probePath; empty for an unknown format.
QJsonObject typeDefaults(const QString& format);

// The version segment the clients' paths of `format` start with ("/v1", Gemini also "/v1beta"): a base URL that
// ends in one would double it. Empty when `path` does not end in one.
QString versionSuffix(const QString& path);

} // namespace ApiFormat
