#pragma once

#include "FakeBehavior.h"
#include "FakeHttpServer.h"
#include "FakeUsage.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QQueue>
#include <QStringList>

#include <optional>

// The common part of the fake AI providers (FakeOpenAI, FakeAnthropic, FakeGemini): valid keys, token counts,
// the reply text, scripted behaviours and added latency, over a FakeHttpServer on 127.0.0.1.
//
//     FakeOpenAI openai;
//     openai.addApiKey("sk-test-1");
//     openai.setUsage({.promptTokens = 12, .completionTokens = 34, .cachedTokens = 5});
//     QVERIFY(openai.listen());
//     openai.queueBehavior(FakeBehavior::rateLimited(2));      // the next request gets a 429, Retry-After: 2
//     openai.queueBehavior(FakeBehavior::cutStream(3), 2);     // the two after that stop after 3 SSE events
//     ... point Gatehouse at openai.url() ...
//     QCOMPARE(openai.requests().last().header("authorization"), "Bearer sk-test-1");
//     QSignalSpy aborted(&openai.server(), &FakeHttpServer::clientAborted);
//
// Order per request: the key is checked first (a bad key never consumes a behaviour), then the next queued
// behaviour, or else the one set with setBehavior(), shapes the reply.
class FakeProvider : public QObject
{
    Q_OBJECT

public:
    bool listen() { return m_server.listen(); }
    QUrl url() const { return m_server.url(); }
    FakeHttpServer& server() { return m_server; }
    const QList<FakeHttpRequest>& requests() const { return m_server.requests(); }

    void addApiKey(const QString& key) { m_apiKeys.append(key); }
    void removeApiKey(const QString& key) { m_apiKeys.removeAll(key); }
    void setUsage(const FakeUsage& usage) { m_usage = usage; }
    const FakeUsage& usage() const { return m_usage; }
    // The assistant's answer; streamed as one delta per word.
    void setReplyText(const QString& text) { m_replyText = text; }
    QString replyText() const { return m_replyText; }
    void setModels(const QStringList& models) { m_models = models; }

    void queueBehavior(FakeBehavior behavior, int times = 1);
    // Applies to every request once the queue is empty, until clearBehaviors().
    void setBehavior(FakeBehavior behavior) { m_behavior = behavior; }
    void clearBehaviors();
    // Every request sent with this provider key gets the behaviour (queued ones wait), until clearKeyBehavior():
    // one key of a pool falls ill while the others stay well.
    void setKeyBehavior(const QString& key, FakeBehavior behavior) { m_keyBehaviors.insert(key, behavior); }
    void clearKeyBehavior(const QString& key) { m_keyBehaviors.remove(key); }
    // Added before the first byte of every reply.
    void setLatency(int ms) { m_latencyMs = ms; }

    // A dead upstream: connections are refused (and open ones dropped) until acceptConnections().
    void refuseConnections() { m_server.refuseConnections(); }
    bool acceptConnections() { return m_server.acceptConnections(); }

protected:
    FakeProvider(QStringList models, QObject* parent);

    bool isValidKey(const QString& key) const { return m_apiKeys.contains(key); }
    const QStringList& models() const { return m_models; }
    // The reply text cut into stream deltas: "Hello there." -> "Hello", " there."
    QStringList textDeltas() const;

    // An error reply when the request's credentials are missing or wrong.
    virtual std::optional<FakeHttpReply> rejectCredentials(const FakeHttpRequest& request) const = 0;
    // The reply a healthy provider gives.
    virtual FakeHttpReply answer(const FakeHttpRequest& request) = 0;
    // The provider's reply for RateLimited, ServerError, Overloaded and InvalidKey.
    virtual FakeHttpReply failure(const FakeBehavior& behavior) const = 0;

    static QByteArray randomHex(int bytes);

private:
    FakeHttpReply handle(const FakeHttpRequest& request);
    std::optional<FakeBehavior> takeBehavior(const FakeHttpRequest& request);
    // The key a request carries, wherever a provider takes it (Authorization: Bearer, x-api-key, x-goog-api-key,
    // ?key=).
    static QString sentKey(const FakeHttpRequest& request);

    FakeHttpServer m_server;
    QStringList m_apiKeys;
    QStringList m_models;
    FakeUsage m_usage;
    QString m_replyText = QStringLiteral("Hello from the fake provider.");
    QQueue<FakeBehavior> m_queue;
    std::optional<FakeBehavior> m_behavior;
    QHash<QString, FakeBehavior> m_keyBehaviors;
    int m_latencyMs = 0;
};
