#pragma once

#include "providers/JsonElementScanner.h"
#include "providers/JsonPathReader.h"
#include "providers/SseParser.h"
#include "providers/Usage.h"
#include "providers/UsagePaths.h"

#include <QByteArrayView>

#include <array>
#include <bitset>
#include <optional>

// Reads the model and the token usage from one response body while it streams to the client, as the provider
// type's UsagePaths describe. By Content-Type:
// - text/event-stream: each complete "data:" event (JSON) is matched against the paths; per field the last value
//   seen wins (OpenAI's final usage chunk, Anthropic's message_start then message_delta, Gemini's cumulative
//   usageMetadata, the responses API's response.completed). Only the current event is held, up to 1 MiB; larger
//   events are skipped.
// - application/json (and anything else that starts with { or [): the body object, or each element of a top-level
//   array (Gemini's non-SSE stream), is matched as it completes, through JsonElementScanner: members over 256 KiB
//   are skipped and objects over 8 MiB are not parsed.
// Events and objects that contain none of the paths' last keys as a quoted string are not parsed at all; the others
// go through JsonPathReader, which skips every member off the paths. The model named in the request path (Gemini's
// "/models/{model}:") wins over the one in the body. Usage: feed() every body piece, finish() at the end, then
// usage(). Measured: ~2 us of CPU per KiB of SSE (tests/bench/BenchUsageExtractor).
class UsageExtractor
{
public:
    UsageExtractor(const UsagePaths& paths, QByteArrayView contentType, QByteArrayView requestPath = {});

    void feed(QByteArrayView bytes);
    void finish();
    Usage usage() const;

private:
    enum Field { Prompt, Completion, Total, CacheRead, CacheWrite, FieldCount };
    enum class Mode { Sse, Json };

    void consider(QByteArrayView json);

    UsagePaths m_paths;
    Mode m_mode;
    SseParser m_sse;
    JsonElementScanner m_json;
    SseParser::Handler m_onEvent;
    JsonElementScanner::Handler m_onObject;
    QList<QByteArray> m_usageKeys; // the last keys of the token paths: "prompt_tokens", ...
    QList<QByteArray> m_modelKeys;
    std::bitset<256> m_usageFirstBytes;
    std::bitset<256> m_modelFirstBytes;
    QString m_pathModel;
    JsonPathReader m_reader;
    QString m_model;
    std::array<std::optional<qint64>, FieldCount> m_values;
};
