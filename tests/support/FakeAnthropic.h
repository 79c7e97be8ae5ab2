#pragma once

#include "FakeProvider.h"

// A fake Anthropic API: x-api-key and anthropic-version headers required; POST /v1/messages (plain and
// "stream": true) and GET /v1/models. See FakeProvider.
class FakeAnthropic : public FakeProvider
{
    Q_OBJECT

public:
    explicit FakeAnthropic(QObject* parent = nullptr);

protected:
    std::optional<FakeHttpReply> rejectCredentials(const FakeHttpRequest& request) const override;
    FakeHttpReply answer(const FakeHttpRequest& request) override;
    FakeHttpReply failure(const FakeBehavior& behavior) const override;

private:
    FakeHttpReply message(const FakeHttpRequest& request) const;
    FakeHttpReply modelList() const;
    FakeHttpReply error(int status, const QString& type, const QString& message) const;
};
