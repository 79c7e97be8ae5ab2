#pragma once

#include "FakeProvider.h"

#include <QJsonArray>

// A fake Gemini API (generativelanguage v1beta): key in the x-goog-api-key header or the `key` query parameter;
// POST /v1beta/models/{model}:generateContent, :streamGenerateContent (?alt=sse for SSE, otherwise one JSON array
// streamed element by element) and GET /v1beta/models. See FakeProvider.
//
// Note: like the real API, a wrong key gets 400 INVALID_ARGUMENT (reason API_KEY_INVALID) and a missing key
// 403 PERMISSION_DENIED, not 401.
class FakeGemini : public FakeProvider
{
    Q_OBJECT

public:
    explicit FakeGemini(QObject* parent = nullptr);

protected:
    std::optional<FakeHttpReply> rejectCredentials(const FakeHttpRequest& request) const override;
    FakeHttpReply answer(const FakeHttpRequest& request) override;
    FakeHttpReply failure(const FakeBehavior& behavior) const override;

private:
    FakeHttpReply generate(const QString& model, bool stream, const FakeHttpRequest& request) const;
    FakeHttpReply modelList() const;
    FakeHttpReply error(int status, const QString& grpcStatus, const QString& message,
                        const QJsonArray& details = {}) const;
};
