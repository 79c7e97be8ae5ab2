#pragma once

#include "FakeProvider.h"

// A fake OpenAI API: Authorization: Bearer <key>; POST /v1/chat/completions (plain, stream, stream_options
// include_usage), POST /v1/responses (plain, stream), POST /v1/embeddings, GET /v1/models. Every key belongs to
// kOrganization: an OpenAI-Organization header naming another is refused with 401 mismatched_organization, as
// OpenAI refuses it. See FakeProvider.
class FakeOpenAI : public FakeProvider
{
    Q_OBJECT

public:
    static constexpr QByteArrayView kOrganization = "org-fake";

    // The keys' project may not use this model: chat requests for it get 403 model_not_found, as OpenAI answers
    // for a model the project has no access to.
    void denyModel(const QString& model) { m_deniedModels.append(model); }

    explicit FakeOpenAI(QObject* parent = nullptr);

protected:
    std::optional<FakeHttpReply> rejectCredentials(const FakeHttpRequest& request) const override;
    FakeHttpReply answer(const FakeHttpRequest& request) override;
    FakeHttpReply failure(const FakeBehavior& behavior) const override;

private:
    FakeHttpReply chatCompletion(const FakeHttpRequest& request) const;
    FakeHttpReply response(const FakeHttpRequest& request) const;
    FakeHttpReply embeddings(const FakeHttpRequest& request) const;
    FakeHttpReply modelList() const;
    FakeHttpReply error(int status, const QString& message, const QString& type, const QJsonValue& code) const;

    QStringList m_deniedModels;
};
