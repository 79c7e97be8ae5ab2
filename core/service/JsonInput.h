#pragma once

#include "common/Result.h"

#include <QJsonObject>
#include <QSet>
#include <QStringList>

#include <optional>

// Reads the fields of a JSON request body with strict checks, collecting every problem:
//
//     JsonInput in(body);
//     const auto name = in.text("name", JsonInput::Required, 1, 200);
//     const auto weight = in.integer("weight", JsonInput::Optional, 1, 1000);
//     if (auto error = in.error()) return *error;   // unknown fields and every bad value, one message
//
// Optional fields that are absent come back as std::nullopt; a JSON null is "clear this value" where the caller
// allows it (isNull()).
class JsonInput
{
public:
    enum Presence { Required, Optional };

    explicit JsonInput(QJsonObject object) : m_object(std::move(object)) {}

    std::optional<QString> text(const QString& field, Presence presence, int minLength = 0, int maxLength = 1000);
    std::optional<qint64> integer(const QString& field, Presence presence, qint64 minimum, qint64 maximum);
    std::optional<bool> boolean(const QString& field, Presence presence);
    std::optional<QString> oneOf(const QString& field, Presence presence, const QStringList& allowed);
    std::optional<QList<qint64>> ids(const QString& field, Presence presence, int maxCount = 1000);
    std::optional<QStringList> texts(const QString& field, Presence presence, int maxCount = 1000);
    // A nested JSON object, taken as is: the caller checks its shape.
    std::optional<QJsonObject> object(const QString& field, Presence presence);

    // A problem the caller found (a shape or cross-field rule), reported together with the reader's own.
    void addProblem(const QString& message) { m_problems << message; }

    bool has(const QString& field) const { return m_object.contains(field); }
    bool isNull(const QString& field);

    // invalid_argument naming every problem (unknown fields included), or nothing when all was well.
    std::optional<Error> error() const;

private:
    bool present(const QString& field, Presence presence);
    void problem(const QString& field, const QString& message);

    QJsonObject m_object;
    QSet<QString> m_known;
    QStringList m_problems;
};
