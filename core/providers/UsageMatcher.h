#pragma once

#include "providers/JsonPathReader.h"
#include "providers/Usage.h"
#include "providers/UsagePaths.h"

#include <QByteArrayView>
#include <QList>

#include <array>
#include <bitset>
#include <optional>

// UsagePaths prepared once per provider type (ProviderProfile::fromJson builds it) so that each response's
// UsageExtractor starts for the price of a shared pointer copy: the path tree for JsonPathReader and the last keys
// that decide whether a JSON object is worth reading at all.
class UsageMatcher
{
public:
    // What the objects of one response said so far: per field the last value seen.
    struct Seen
    {
        QString model;
        std::array<std::optional<qint64>, 5> counts; // prompt, completion, total, cache read, cache write
    };

    explicit UsageMatcher(const UsagePaths& paths);

    // The model named in the request path by model_from_path ("/models/{model}:"), or empty.
    QString modelFromPath(QByteArrayView requestPath) const;
    // Reads one JSON object into seen when it holds one of the token keys (or a model key while no model is known).
    // False when it holds one but is not one JSON object (seen is left as it was).
    bool read(QByteArrayView json, Seen& seen) const;
    // Reads it without looking for the keys first: for a whole response body, which nearly always holds them.
    // False when it is not one JSON object.
    bool readObject(QByteArrayView json, Seen& seen) const;
    Usage usage(const Seen& seen, const QString& pathModel) const;

private:
    UsagePaths m_paths;
    QList<QByteArray> m_usageKeys; // the last keys of the token paths: "prompt_tokens", ...
    QList<QByteArray> m_modelKeys;
    std::bitset<256> m_usageKeyLengths; // the keys' lengths (lengthsOf)
    std::bitset<256> m_modelKeyLengths;
    JsonPathReader m_reader;
};
