#pragma once

#include "common/Result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

// Where a provider type puts the model and the token counts in its response JSON (non-streamed bodies and each
// streamed event alike). Settings JSON, every key optional:
//   {"model": ["model", "response.model", "message.model", "modelVersion"],
//    "model_from_path": "/models/{model}:",      // the model taken from the request path when it matches
//    "prompt_tokens": ["usage.prompt_tokens", "usage.input_tokens", ...],
//    "completion_tokens": [...], "total_tokens": [...], "cache_read_tokens": [...], "cache_write_tokens": [...],
//    "prompt_excludes_cache": false}
// Each list holds dotted paths; within one JSON object the first path present wins, across streamed events the
// last value seen wins. "prompt_excludes_cache": true (Anthropic) means the provider's prompt count leaves out the
// cache read and write tokens; they are added so that promptTokens always counts every input token.
struct UsagePaths
{
    using Path = QStringList; // a dotted path split at the dots

    QList<Path> model;
    QString modelFromPath;
    QList<Path> promptTokens;
    QList<Path> completionTokens;
    QList<Path> totalTokens;
    QList<Path> cacheReadTokens;
    QList<Path> cacheWriteTokens;
    bool promptExcludesCache = false;

    static Result<UsagePaths> fromJson(const QJsonObject& json);
};
