// Drives the fake providers over real loopback sockets with a plain QTcpSocket client (responses parsed with llhttp),
// so the gateway's integration tests can trust what the fakes send.
#include "FakeAnthropic.h"
#include "FakeGemini.h"
#include "FakeOpenAI.h"
#include "TestRegistry.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <llhttp.h>

// Named: the test's lambdas capture these, which in an anonymous namespace the unity build warns of
// (-Wsubobject-linkage).
namespace fake_provider_clients {

struct Response
{
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool complete = false;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto& [key, value] : headers) {
            if (name.compare(key, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
    const QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

// One client connection: sends raw bytes, parses every response on it (keep-alive, pipelining).
class Client
{
public:
    explicit Client(quint16 port)
    {
        llhttp_settings_init(&m_settings);
        m_settings.on_message_begin = [](llhttp_t* p) {
            self(p)->m_responses.append(Response{});
            return 0;
        };
        m_settings.on_status_complete = [](llhttp_t* p) {
            self(p)->m_responses.last().status = p->status_code;
            return 0;
        };
        m_settings.on_header_field = [](llhttp_t* p, const char* at, size_t n) {
            self(p)->m_field.append(at, qsizetype(n));
            return 0;
        };
        m_settings.on_header_value = [](llhttp_t* p, const char* at, size_t n) {
            self(p)->m_value.append(at, qsizetype(n));
            return 0;
        };
        m_settings.on_header_value_complete = [](llhttp_t* p) {
            Client* c = self(p);
            c->m_responses.last().headers.append(qMakePair(c->m_field, c->m_value));
            c->m_field.clear();
            c->m_value.clear();
            return 0;
        };
        m_settings.on_body = [](llhttp_t* p, const char* at, size_t n) {
            self(p)->m_responses.last().body.append(at, qsizetype(n));
            return 0;
        };
        m_settings.on_message_complete = [](llhttp_t* p) {
            self(p)->m_responses.last().complete = true;
            return 0;
        };
        llhttp_init(&m_parser, HTTP_RESPONSE, &m_settings);
        m_parser.data = this;
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] {
            const QByteArray data = m_socket.readAll();
            m_bytesReceived += data.size();
            llhttp_execute(&m_parser, data.constData(), size_t(data.size()));
        });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, [this] { m_closed = true; });
        m_socket.connectToHost(QHostAddress::LocalHost, port);
    }

    static QByteArray request(const QByteArray& method, const QByteArray& target,
                              const QList<QPair<QByteArray, QByteArray>>& headers, const QByteArray& body = {})
    {
        QByteArray raw = method + ' ' + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (const auto& [name, value] : headers)
            raw += name + ": " + value + "\r\n";
        if (!body.isEmpty() || method == "POST")
            raw += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
        return raw + "\r\n" + body;
    }

    void send(const QByteArray& raw) { m_socket.write(raw); }
    bool waitForResponses(int count = 1, int timeoutMs = 10000)
    {
        return QTest::qWaitFor([&] { return completeResponses() >= count || m_closed; }, timeoutMs);
    }
    bool waitForClose(int timeoutMs = 10000)
    {
        return QTest::qWaitFor([&] { return m_closed; }, timeoutMs);
    }
    int completeResponses() const
    {
        return int(std::count_if(m_responses.begin(), m_responses.end(), [](const Response& r) { return r.complete; }));
    }
    const QList<Response>& responses() const { return m_responses; }
    Response last() const { return m_responses.isEmpty() ? Response{} : m_responses.last(); }
    qint64 bytesReceived() const { return m_bytesReceived; }
    bool closed() const { return m_closed; }
    QTcpSocket& socket() { return m_socket; }

private:
    static Client* self(llhttp_t* parser) { return static_cast<Client*>(parser->data); }

    QTcpSocket m_socket;
    llhttp_settings_t m_settings{};
    llhttp_t m_parser{};
    QByteArray m_field;
    QByteArray m_value;
    QList<Response> m_responses;
    qint64 m_bytesReceived = 0;
    bool m_closed = false;
};

struct SseEvent
{
    QString name;
    QByteArray data;
    const QJsonObject json() const { return QJsonDocument::fromJson(data).object(); }
};

QList<SseEvent> parseSse(QByteArray body)
{
    body.replace("\r\n", "\n");
    QList<SseEvent> events;
    for (const QByteArray& block : body.split('\n')) {
        if (block.isEmpty()) {
            if (!events.isEmpty() && !events.last().data.isNull())
                events.append(SseEvent{});
            continue;
        }
        if (events.isEmpty())
            events.append(SseEvent{});
        if (block.startsWith("event: "))
            events.last().name = QString::fromUtf8(block.mid(7));
        else if (block.startsWith("data: "))
            events.last().data = block.mid(6);
    }
    if (!events.isEmpty() && events.last().data.isNull())
        events.removeLast();
    return events;
}

// One request, one response, on a fresh connection.
Response exchange(FakeProvider& fake, const QByteArray& method, const QByteArray& target,
                  const QList<QPair<QByteArray, QByteArray>>& headers, const QJsonObject& body = {})
{
    Client client(fake.server().port());
    const QByteArray payload = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    client.send(Client::request(method, target, headers, payload));
    client.waitForResponses();
    return client.last();
}

const QList<QPair<QByteArray, QByteArray>> kOpenAiAuth{{"Authorization", "Bearer sk-test-good"},
                                                       {"Content-Type", "application/json"}};
const QList<QPair<QByteArray, QByteArray>> kAnthropicAuth{
    {"x-api-key", "sk-ant-good"}, {"anthropic-version", "2023-06-01"}, {"Content-Type", "application/json"}};
const QList<QPair<QByteArray, QByteArray>> kGeminiAuth{{"x-goog-api-key", "AIza-good"},
                                                       {"Content-Type", "application/json"}};

const QJsonObject kChat{{"model", "gpt-4o-mini"},
                        {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", "Hi"}}}}};
const QJsonObject kClaude{{"model", "claude-sonnet-4-20250514"},
                          {"max_tokens", 64},
                          {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", "Hi"}}}}};
const QJsonObject kGeminiBody{
    {"contents", QJsonArray{QJsonObject{{"role", "user"}, {"parts", QJsonArray{QJsonObject{{"text", "Hi"}}}}}}}};

QJsonObject with(QJsonObject object, const QString& key, const QJsonValue& value)
{
    object.insert(key, value);
    return object;
}

} // namespace fake_provider_clients

using namespace fake_provider_clients;

class TestFakeProviders : public QObject
{
    Q_OBJECT

private:
    FakeOpenAI* m_openai = nullptr;
    FakeAnthropic* m_anthropic = nullptr;
    FakeGemini* m_gemini = nullptr;

private slots:
    void init()
    {
        m_openai = new FakeOpenAI(this);
        m_openai->addApiKey("sk-test-good");
        m_openai->setUsage({.promptTokens = 12, .completionTokens = 34, .cachedTokens = 5});
        QVERIFY(m_openai->listen());
        m_anthropic = new FakeAnthropic(this);
        m_anthropic->addApiKey("sk-ant-good");
        m_anthropic->setUsage(
            {.promptTokens = 21, .completionTokens = 43, .cachedTokens = 8, .cacheCreationTokens = 3});
        QVERIFY(m_anthropic->listen());
        m_gemini = new FakeGemini(this);
        m_gemini->addApiKey("AIza-good");
        m_gemini->setUsage({.promptTokens = 7, .completionTokens = 9, .cachedTokens = 2});
        QVERIFY(m_gemini->listen());
    }

    void cleanup()
    {
        delete m_openai;
        delete m_anthropic;
        delete m_gemini;
    }

    // --- OpenAI ---

    void openAiChatCompletionPlain()
    {
        const Response r = exchange(*m_openai, "POST", "/v1/chat/completions", kOpenAiAuth, kChat);
        QVERIFY(r.complete);
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("content-type").startsWith("application/json"));
        QVERIFY(r.header("x-request-id").startsWith("req_"));
        const QJsonObject body = r.json();
        QVERIFY(body["id"].toString().startsWith("chatcmpl-"));
        QCOMPARE(body["object"].toString(), "chat.completion");
        QCOMPARE(body["model"].toString(), "gpt-4o-mini");
        const QJsonObject choice = body["choices"].toArray().first().toObject();
        QCOMPARE(choice["message"]["role"].toString(), "assistant");
        QCOMPARE(choice["message"]["content"].toString(), m_openai->replyText());
        QCOMPARE(choice["finish_reason"].toString(), "stop");
        QCOMPARE(body["usage"]["prompt_tokens"].toInt(), 12);
        QCOMPARE(body["usage"]["completion_tokens"].toInt(), 34);
        QCOMPARE(body["usage"]["total_tokens"].toInt(), 46);
        QCOMPARE(body["usage"]["prompt_tokens_details"]["cached_tokens"].toInt(), 5);

        QCOMPARE(m_openai->requests().size(), 1);
        const FakeHttpRequest& recorded = m_openai->requests().first();
        QCOMPARE(recorded.method, "POST");
        QCOMPARE(recorded.path, "/v1/chat/completions");
        QCOMPARE(recorded.header("AUTHORIZATION"), "Bearer sk-test-good");
        QCOMPARE(recorded.json()["model"].toString(), "gpt-4o-mini");
    }

    void openAiChatStreamWithoutUsage()
    {
        const Response r =
            exchange(*m_openai, "POST", "/v1/chat/completions", kOpenAiAuth, with(kChat, "stream", true));
        QVERIFY(r.complete);
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("content-type").startsWith("text/event-stream"));
        QCOMPARE(r.header("transfer-encoding"), "chunked");
        const QList<SseEvent> events = parseSse(r.body);
        QVERIFY(events.size() >= 4);
        QCOMPARE(events.last().data, "[DONE]");
        QString text;
        for (qsizetype i = 0; i + 1 < events.size(); ++i) {
            const QJsonObject chunk = events[i].json();
            QCOMPARE(chunk["object"].toString(), "chat.completion.chunk");
            QCOMPARE(chunk["model"].toString(), "gpt-4o-mini");
            QVERIFY2(!chunk.contains("usage"), "usage only appears when stream_options.include_usage is set");
            QCOMPARE(chunk["choices"].toArray().size(), 1);
            text += chunk["choices"][0]["delta"]["content"].toString();
        }
        QCOMPARE(events.first().json()["choices"][0]["delta"]["role"].toString(), "assistant");
        QCOMPARE(events[events.size() - 2].json()["choices"][0]["finish_reason"].toString(), "stop");
        QCOMPARE(text, m_openai->replyText());
    }

    void openAiChatStreamWithUsage()
    {
        const QJsonObject request =
            with(with(kChat, "stream", true), "stream_options", QJsonObject{{"include_usage", true}});
        const Response r = exchange(*m_openai, "POST", "/v1/chat/completions", kOpenAiAuth, request);
        QVERIFY(r.complete);
        const QList<SseEvent> events = parseSse(r.body);
        QCOMPARE(events.last().data, "[DONE]");
        const QJsonObject usageChunk = events[events.size() - 2].json();
        QCOMPARE(usageChunk["choices"].toArray().size(), 0);
        QCOMPARE(usageChunk["usage"]["prompt_tokens"].toInt(), 12);
        QCOMPARE(usageChunk["usage"]["completion_tokens"].toInt(), 34);
        QCOMPARE(usageChunk["usage"]["prompt_tokens_details"]["cached_tokens"].toInt(), 5);
        for (qsizetype i = 0; i + 2 < events.size(); ++i) {
            const QJsonObject chunk = events[i].json();
            QVERIFY(chunk.contains("usage"));
            QVERIFY(chunk["usage"].isNull());
        }
    }

    void openAiResponsesPlain()
    {
        const QJsonObject request{{"model", "gpt-4o"}, {"input", "Hi"}};
        const Response r = exchange(*m_openai, "POST", "/v1/responses", kOpenAiAuth, request);
        QCOMPARE(r.status, 200);
        const QJsonObject body = r.json();
        QCOMPARE(body["object"].toString(), "response");
        QCOMPARE(body["status"].toString(), "completed");
        QCOMPARE(body["model"].toString(), "gpt-4o");
        QCOMPARE(body["output"][0]["content"][0]["type"].toString(), "output_text");
        QCOMPARE(body["output"][0]["content"][0]["text"].toString(), m_openai->replyText());
        QCOMPARE(body["usage"]["input_tokens"].toInt(), 12);
        QCOMPARE(body["usage"]["output_tokens"].toInt(), 34);
        QCOMPARE(body["usage"]["total_tokens"].toInt(), 46);
        QCOMPARE(body["usage"]["input_tokens_details"]["cached_tokens"].toInt(), 5);
    }

    void openAiResponsesStream()
    {
        const QJsonObject request{{"model", "gpt-4o"}, {"input", "Hi"}, {"stream", true}};
        const Response r = exchange(*m_openai, "POST", "/v1/responses", kOpenAiAuth, request);
        QVERIFY(r.complete);
        const QList<SseEvent> events = parseSse(r.body);
        QStringList names;
        QString text;
        for (qsizetype i = 0; i < events.size(); ++i) {
            names.append(events[i].name);
            QCOMPARE(events[i].json()["type"].toString(), events[i].name);
            QCOMPARE(events[i].json()["sequence_number"].toInt(), int(i));
            if (events[i].name == "response.output_text.delta")
                text += events[i].json()["delta"].toString();
        }
        QCOMPARE(names.first(), "response.created");
        QCOMPARE(names[1], "response.in_progress");
        QCOMPARE(names.last(), "response.completed");
        QVERIFY(names.contains("response.output_item.added"));
        QVERIFY(names.contains("response.output_text.done"));
        QVERIFY(!r.body.contains("[DONE]"));
        QCOMPARE(text, m_openai->replyText());
        QVERIFY(events.first().json()["response"]["usage"].isNull());
        const QJsonObject completed = events.last().json()["response"].toObject();
        QCOMPARE(completed["status"].toString(), "completed");
        QCOMPARE(completed["model"].toString(), "gpt-4o");
        QCOMPARE(completed["usage"]["input_tokens"].toInt(), 12);
        QCOMPARE(completed["usage"]["output_tokens"].toInt(), 34);
    }

    void openAiEmbeddingsAndModels()
    {
        const QJsonObject request{{"model", "text-embedding-3-small"}, {"input", QJsonArray{"a", "b"}}};
        const Response r = exchange(*m_openai, "POST", "/v1/embeddings", kOpenAiAuth, request);
        QCOMPARE(r.status, 200);
        const QJsonObject body = r.json();
        QCOMPARE(body["object"].toString(), "list");
        QCOMPARE(body["model"].toString(), "text-embedding-3-small");
        QCOMPARE(body["data"].toArray().size(), 2);
        QCOMPARE(body["data"][1]["object"].toString(), "embedding");
        QCOMPARE(body["data"][1]["index"].toInt(), 1);
        QVERIFY(!body["data"][0]["embedding"].toArray().isEmpty());
        QCOMPARE(body["usage"]["prompt_tokens"].toInt(), 12);
        QCOMPARE(body["usage"]["total_tokens"].toInt(), 12);
        QVERIFY(!body["usage"].toObject().contains("completion_tokens"));

        m_openai->setModels({"gpt-x", "gpt-y"});
        const Response models = exchange(*m_openai, "GET", "/v1/models", kOpenAiAuth);
        QCOMPARE(models.status, 200);
        QCOMPARE(models.json()["object"].toString(), "list");
        QCOMPARE(models.json()["data"].toArray().size(), 2);
        QCOMPARE(models.json()["data"][0]["id"].toString(), "gpt-x");
        QCOMPARE(models.json()["data"][0]["object"].toString(), "model");
    }

    void openAiAuthErrors()
    {
        const Response missing = exchange(*m_openai, "POST", "/v1/chat/completions", {}, kChat);
        QCOMPARE(missing.status, 401);
        const QJsonObject missingError = missing.json()["error"].toObject();
        QVERIFY(missingError["message"].toString().contains("You didn't provide an API key"));
        QCOMPARE(missingError["type"].toString(), "invalid_request_error");
        QVERIFY(missingError.contains("param") && missingError["param"].isNull());
        QVERIFY(missingError.contains("code") && missingError["code"].isNull());

        const Response wrong =
            exchange(*m_openai, "POST", "/v1/chat/completions", {{"Authorization", "Bearer sk-wrong-key-1234"}}, kChat);
        QCOMPARE(wrong.status, 401);
        const QJsonObject wrongError = wrong.json()["error"].toObject();
        QCOMPARE(wrongError["code"].toString(), "invalid_api_key");
        QCOMPARE(wrongError["type"].toString(), "invalid_request_error");
        QVERIFY(wrongError["message"].toString().startsWith("Incorrect API key provided: sk-"));
        QVERIFY2(!wrongError["message"].toString().contains("sk-wrong-key-1234"), "the key is shown masked");
    }

    // --- Anthropic ---

    void anthropicMessagePlain()
    {
        const Response r = exchange(*m_anthropic, "POST", "/v1/messages", kAnthropicAuth, kClaude);
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("request-id").startsWith("req_"));
        const QJsonObject body = r.json();
        QCOMPARE(body["type"].toString(), "message");
        QCOMPARE(body["role"].toString(), "assistant");
        QCOMPARE(body["model"].toString(), "claude-sonnet-4-20250514");
        QCOMPARE(body["content"][0]["type"].toString(), "text");
        QCOMPARE(body["content"][0]["text"].toString(), m_anthropic->replyText());
        QCOMPARE(body["stop_reason"].toString(), "end_turn");
        QCOMPARE(body["usage"]["input_tokens"].toInt(), 21);
        QCOMPARE(body["usage"]["output_tokens"].toInt(), 43);
        QCOMPARE(body["usage"]["cache_read_input_tokens"].toInt(), 8);
        QCOMPARE(body["usage"]["cache_creation_input_tokens"].toInt(), 3);
        QCOMPARE(m_anthropic->requests().first().header("anthropic-version"), "2023-06-01");
    }

    void anthropicMessageStream()
    {
        const Response r =
            exchange(*m_anthropic, "POST", "/v1/messages", kAnthropicAuth, with(kClaude, "stream", true));
        QVERIFY(r.complete);
        QVERIFY(r.header("content-type").startsWith("text/event-stream"));
        const QList<SseEvent> events = parseSse(r.body);
        QStringList names;
        QString text;
        for (const SseEvent& event : events) {
            names.append(event.name);
            QCOMPARE(event.json()["type"].toString(), event.name);
            if (event.name == "content_block_delta")
                text += event.json()["delta"]["text"].toString();
        }
        const qsizetype deltas = names.count("content_block_delta");
        QVERIFY(deltas >= 2);
        QStringList expected{"message_start", "content_block_start", "ping"};
        for (qsizetype i = 0; i < deltas; ++i)
            expected.append("content_block_delta");
        expected += QStringList{"content_block_stop", "message_delta", "message_stop"};
        QCOMPARE(names, expected);
        QCOMPARE(text, m_anthropic->replyText());

        const QJsonObject start = events.first().json()["message"].toObject();
        QCOMPARE(start["model"].toString(), "claude-sonnet-4-20250514");
        QCOMPARE(start["usage"]["input_tokens"].toInt(), 21);
        QCOMPARE(start["usage"]["cache_read_input_tokens"].toInt(), 8);
        QCOMPARE(start["usage"]["cache_creation_input_tokens"].toInt(), 3);
        const QJsonObject messageDelta = events[events.size() - 2].json();
        QCOMPARE(messageDelta["usage"]["output_tokens"].toInt(), 43);
        QCOMPARE(messageDelta["delta"]["stop_reason"].toString(), "end_turn");
    }

    void anthropicModels()
    {
        const Response r = exchange(*m_anthropic, "GET", "/v1/models", kAnthropicAuth);
        QCOMPARE(r.status, 200);
        const QJsonObject body = r.json();
        QCOMPARE(body["data"][0]["type"].toString(), "model");
        QCOMPARE(body["first_id"].toString(), body["data"][0]["id"].toString());
        QCOMPARE(body["has_more"].toBool(), false);
    }

    void anthropicAuthErrors()
    {
        const Response missing =
            exchange(*m_anthropic, "POST", "/v1/messages", {{"anthropic-version", "2023-06-01"}}, kClaude);
        QCOMPARE(missing.status, 401);
        QCOMPARE(missing.json()["type"].toString(), "error");
        QCOMPARE(missing.json()["error"]["type"].toString(), "authentication_error");
        QCOMPARE(missing.json()["error"]["message"].toString(), "x-api-key header is required");
        QVERIFY(missing.header("request-id").startsWith("req_"));

        const Response wrong = exchange(*m_anthropic, "POST", "/v1/messages",
                                        {{"x-api-key", "sk-ant-bad"}, {"anthropic-version", "2023-06-01"}}, kClaude);
        QCOMPARE(wrong.status, 401);
        QCOMPARE(wrong.json()["error"]["message"].toString(), "invalid x-api-key");

        const Response noVersion =
            exchange(*m_anthropic, "POST", "/v1/messages", {{"x-api-key", "sk-ant-good"}}, kClaude);
        QCOMPARE(noVersion.status, 400);
        QCOMPARE(noVersion.json()["error"]["type"].toString(), "invalid_request_error");
        QCOMPARE(noVersion.json()["error"]["message"].toString(), "anthropic-version: header is required");
    }

    // --- Gemini ---

    void geminiGenerateContent()
    {
        const Response r =
            exchange(*m_gemini, "POST", "/v1beta/models/gemini-2.5-pro:generateContent", kGeminiAuth, kGeminiBody);
        QCOMPARE(r.status, 200);
        const QJsonObject body = r.json();
        QCOMPARE(body["modelVersion"].toString(), "gemini-2.5-pro");
        QVERIFY(!body["responseId"].toString().isEmpty());
        QCOMPARE(body["candidates"][0]["content"]["role"].toString(), "model");
        QCOMPARE(body["candidates"][0]["content"]["parts"][0]["text"].toString(), m_gemini->replyText());
        QCOMPARE(body["candidates"][0]["finishReason"].toString(), "STOP");
        QCOMPARE(body["usageMetadata"]["promptTokenCount"].toInt(), 7);
        QCOMPARE(body["usageMetadata"]["candidatesTokenCount"].toInt(), 9);
        QCOMPARE(body["usageMetadata"]["totalTokenCount"].toInt(), 16);
        QCOMPARE(body["usageMetadata"]["cachedContentTokenCount"].toInt(), 2);

        // The key may come as a query parameter instead of the header.
        const Response byQuery =
            exchange(*m_gemini, "POST", "/v1beta/models/gemini-2.0-flash:generateContent?key=AIza-good",
                     {{"Content-Type", "application/json"}}, kGeminiBody);
        QCOMPARE(byQuery.status, 200);
        QCOMPARE(byQuery.json()["modelVersion"].toString(), "gemini-2.0-flash");
        QCOMPARE(m_gemini->requests().last().query.queryItemValue("key"), "AIza-good");
    }

    void geminiStreamSse()
    {
        const Response r = exchange(*m_gemini, "POST", "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
                                    kGeminiAuth, kGeminiBody);
        QVERIFY(r.complete);
        QVERIFY(r.header("content-type").startsWith("text/event-stream"));
        QVERIFY2(r.body.contains("\r\n\r\n"), "Gemini frames SSE events with CRLF");
        const QList<SseEvent> events = parseSse(r.body);
        QVERIFY(events.size() >= 2);
        QString text;
        for (const SseEvent& event : events) {
            QCOMPARE(event.json()["modelVersion"].toString(), "gemini-2.0-flash");
            text += event.json()["candidates"][0]["content"]["parts"][0]["text"].toString();
        }
        QCOMPARE(text, m_gemini->replyText());
        const QJsonObject last = events.last().json();
        QCOMPARE(last["candidates"][0]["finishReason"].toString(), "STOP");
        QCOMPARE(last["usageMetadata"]["promptTokenCount"].toInt(), 7);
        QCOMPARE(last["usageMetadata"]["candidatesTokenCount"].toInt(), 9);
        QCOMPARE(last["usageMetadata"]["totalTokenCount"].toInt(), 16);
        QVERIFY(!events.first().json()["candidates"][0].toObject().contains("finishReason"));
    }

    void geminiStreamJsonArray()
    {
        const Response r = exchange(*m_gemini, "POST", "/v1beta/models/gemini-2.0-flash:streamGenerateContent",
                                    kGeminiAuth, kGeminiBody);
        QVERIFY(r.complete);
        QVERIFY(r.header("content-type").startsWith("application/json"));
        QCOMPARE(r.header("transfer-encoding"), "chunked");
        const QJsonDocument document = QJsonDocument::fromJson(r.body);
        QVERIFY(document.isArray());
        const QJsonArray chunks = document.array();
        QVERIFY(chunks.size() >= 2);
        QCOMPARE(chunks.last()["usageMetadata"]["candidatesTokenCount"].toInt(), 9);
        QCOMPARE(chunks.last()["modelVersion"].toString(), "gemini-2.0-flash");
    }

    void geminiModels()
    {
        const Response r = exchange(*m_gemini, "GET", "/v1beta/models", kGeminiAuth);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json()["models"][0]["name"].toString().startsWith("models/gemini-"));
        QVERIFY(r.json()["models"][0]["supportedGenerationMethods"].toArray().contains("generateContent"));
    }

    void geminiAuthErrors()
    {
        const Response missing = exchange(*m_gemini, "POST", "/v1beta/models/gemini-2.0-flash:generateContent",
                                          {{"Content-Type", "application/json"}}, kGeminiBody);
        QCOMPARE(missing.status, 403);
        QCOMPARE(missing.json()["error"]["code"].toInt(), 403);
        QCOMPARE(missing.json()["error"]["status"].toString(), "PERMISSION_DENIED");

        const Response wrong = exchange(*m_gemini, "POST", "/v1beta/models/gemini-2.0-flash:generateContent",
                                        {{"x-goog-api-key", "AIza-bad"}}, kGeminiBody);
        QCOMPARE(wrong.status, 400);
        const QJsonObject error = wrong.json()["error"].toObject();
        QCOMPARE(error["code"].toInt(), 400);
        QCOMPARE(error["status"].toString(), "INVALID_ARGUMENT");
        QCOMPARE(error["message"].toString(), "API key not valid. Please pass a valid API key.");
        QCOMPARE(error["details"][0]["reason"].toString(), "API_KEY_INVALID");
    }

    // --- Scripted behaviours ---

    void rateLimitedThenRecovers()
    {
        m_openai->queueBehavior(FakeBehavior::rateLimited(7));
        m_anthropic->queueBehavior(FakeBehavior::rateLimited(7));
        m_gemini->queueBehavior(FakeBehavior::rateLimited(7));

        const Response openai = exchange(*m_openai, "POST", "/v1/chat/completions", kOpenAiAuth, kChat);
        QCOMPARE(openai.status, 429);
        QCOMPARE(openai.header("retry-after"), "7");
        QCOMPARE(openai.header("x-ratelimit-remaining-requests"), "0");
        QCOMPARE(openai.header("x-ratelimit-reset-requests"), "7s");
        QCOMPARE(openai.json()["error"]["code"].toString(), "rate_limit_exceeded");

        const Response anthropic = exchange(*m_anthropic, "POST", "/v1/messages", kAnthropicAuth, kClaude);
        QCOMPARE(anthropic.status, 429);
        QCOMPARE(anthropic.header("retry-after"), "7");
        QCOMPARE(anthropic.header("anthropic-ratelimit-requests-remaining"), "0");
        QVERIFY(QDateTime::fromString(QString::fromLatin1(anthropic.header("anthropic-ratelimit-requests-reset")),
                                      Qt::ISODate)
                    .isValid());
        QCOMPARE(anthropic.json()["error"]["type"].toString(), "rate_limit_error");

        const Response gemini =
            exchange(*m_gemini, "POST", "/v1beta/models/gemini-2.0-flash:generateContent", kGeminiAuth, kGeminiBody);
        QCOMPARE(gemini.status, 429);
        QCOMPARE(gemini.header("retry-after"), "7");
        QCOMPARE(gemini.json()["error"]["status"].toString(), "RESOURCE_EXHAUSTED");

        // The queue is used up: the next request is served normally.
        QCOMPARE(exchange(*m_openai, "POST", "/v1/chat/completions", kOpenAiAuth, kChat).status, 200);
        QCOMPARE(exchange(*m_anthropic, "POST", "/v1/messages", kAnthropicAuth, kClaude).status, 200);
    }

    void serverErrorsInProviderFormat()
    {
        m_openai->queueBehavior(FakeBehavior::serverError());
        m_openai->queueBehavior(FakeBehavior::overloaded());
        QCOMPARE(exchange(*m_openai, "POST", "/v1/chat/completions", kOpenAiAuth, kChat).status, 500);
        const Response openai503 = exchange(*m_openai, "POST", "/v1/chat/completions", kOpenAiAuth, kChat);
        QCOMPARE(openai503.status, 503);
        QCOMPARE(openai503.json()["error"]["type"].toString(), "server_error");

        m_anthropic->queueBehavior(FakeBehavior::serverError());
        m_anthropic->queueBehavior(FakeBehavior::overloaded());
        const Response anthropic500 = exchange(*m_anthropic, "POST", "/v1/messages", kAnthropicAuth, kClaude);
        QCOMPARE(anthropic500.status, 500);
        QCOMPARE(anthropic500.json()["error"]["type"].toString(), "api_error");
        const Response anthropic529 = exchange(*m_anthropic, "POST", "/v1/messages", kAnthropicAuth, kClaude);
        QCOMPARE(anthropic529.status, 529);
        QCOMPARE(anthropic529.json()["error"]["type"].toString(), "overloaded_error");

        m_gemini->setBehavior(FakeBehavior::overloaded());
        for (int i = 0; i < 2; ++i) {
            const Response gemini = exchange(*m_gemini, "POST", "/v1beta/models/gemini-2.0-flash:generateContent",
                                             kGeminiAuth, kGeminiBody);
            QCOMPARE(gemini.status, 503);
            QCOMPARE(gemini.json()["error"]["status"].toString(), "UNAVAILABLE");
        }
        m_gemini->clearBehaviors();
        QCOMPARE(
            exchange(*m_gemini, "POST", "/v1beta/models/gemini-2.0-flash:generateContent", kGeminiAuth, kGeminiBody)
                .status,
            200);
    }

    void invalidKeyBehaviour()
    {
        m_openai->queueBehavior(FakeBehavior::invalidKey());
        const Response r = exchange(*m_openai, "GET", "/v1/models", kOpenAiAuth);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.json()["error"]["code"].toString(), "invalid_api_key");
    }

    void cutStreamLeavesNoCleanEnd()
    {
        m_openai->queueBehavior(FakeBehavior::cutStream(2));
        const QJsonObject request =
            with(with(kChat, "stream", true), "stream_options", QJsonObject{{"include_usage", true}});
        Client client(m_openai->server().port());
        client.send(Client::request("POST", "/v1/chat/completions", kOpenAiAuth,
                                    QJsonDocument(request).toJson(QJsonDocument::Compact)));
        QVERIFY(client.waitForClose());
        QCOMPARE(client.responses().size(), 1);
        const Response r = client.last();
        QCOMPARE(r.status, 200);
        QVERIFY2(!r.complete, "no terminating chunk");
        const QList<SseEvent> events = parseSse(r.body);
        QCOMPARE(events.size(), 2);
        QVERIFY(!r.body.contains("[DONE]"));
        QVERIFY(!r.body.contains("\"prompt_tokens\""));
        QCOMPARE(m_openai->server().clientAborts(), 0);

        m_anthropic->queueBehavior(FakeBehavior::cutStream(3));
        Client claude(m_anthropic->server().port());
        claude.send(Client::request("POST", "/v1/messages", kAnthropicAuth,
                                    QJsonDocument(with(kClaude, "stream", true)).toJson(QJsonDocument::Compact)));
        QVERIFY(claude.waitForClose());
        QVERIFY(!claude.last().complete);
        QCOMPARE(parseSse(claude.last().body).size(), 3);
        QVERIFY(!claude.last().body.contains("message_stop"));
    }

    void slowFirstByteKeepsSilentThenAnswers()
    {
        m_openai->queueBehavior(FakeBehavior::slowFirstByte(60000));
        QSignalSpy aborted(&m_openai->server(), &FakeHttpServer::clientAborted);
        auto slow = std::make_unique<Client>(m_openai->server().port());
        slow->send(Client::request("POST", "/v1/chat/completions", kOpenAiAuth,
                                   QJsonDocument(kChat).toJson(QJsonDocument::Compact)));
        QTRY_COMPARE(m_openai->requests().size(), 1);
        // Another connection is served meanwhile: the server waits without blocking, and the slow one got nothing.
        QCOMPARE(exchange(*m_openai, "GET", "/v1/models", kOpenAiAuth).status, 200);
        QCOMPARE(slow->bytesReceived(), 0);
        // Giving up before the first byte is an abort the fake can see.
        slow->socket().abort();
        QVERIFY(aborted.wait());
        QCOMPARE(aborted.first().at(1).toString(), "/v1/chat/completions");

        m_openai->queueBehavior(FakeBehavior::slowFirstByte(100));
        m_openai->setLatency(50);
        const Response r = exchange(*m_openai, "POST", "/v1/chat/completions", kOpenAiAuth, kChat);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()["usage"]["prompt_tokens"].toInt(), 12);
    }

    void slowStreamArrivesEventByEvent()
    {
        m_anthropic->queueBehavior(FakeBehavior::slowStream(150));
        Client client(m_anthropic->server().port());
        client.send(Client::request("POST", "/v1/messages", kAnthropicAuth,
                                    QJsonDocument(with(kClaude, "stream", true)).toJson(QJsonDocument::Compact)));
        // The first event is readable while the stream is still going.
        QVERIFY(QTest::qWaitFor([&] { return !client.responses().isEmpty() && !client.last().body.isEmpty(); }, 10000));
        QVERIFY(!client.last().complete);
        QVERIFY(client.waitForResponses());
        QVERIFY(client.last().complete);
        QCOMPARE(parseSse(client.last().body).last().name, "message_stop");
    }

    void clientAbortMidStreamIsSeen()
    {
        m_openai->queueBehavior(FakeBehavior::slowStream(60000));
        QSignalSpy aborted(&m_openai->server(), &FakeHttpServer::clientAborted);
        auto client = std::make_unique<Client>(m_openai->server().port());
        client->send(Client::request("POST", "/v1/chat/completions", kOpenAiAuth,
                                     QJsonDocument(with(kChat, "stream", true)).toJson(QJsonDocument::Compact)));
        QVERIFY(QTest::qWaitFor([&] { return !client->responses().isEmpty() && !client->last().body.isEmpty(); }));
        client.reset();
        QVERIFY(aborted.wait());
        QCOMPARE(m_openai->server().clientAborts(), 1);
        QTRY_COMPARE(m_openai->server().openConnections(), 0);
    }

    void hangNeverAnswers()
    {
        m_gemini->queueBehavior(FakeBehavior::hang());
        QSignalSpy aborted(&m_gemini->server(), &FakeHttpServer::clientAborted);
        auto client = std::make_unique<Client>(m_gemini->server().port());
        client->send(Client::request("POST", "/v1beta/models/gemini-2.0-flash:generateContent", kGeminiAuth,
                                     QJsonDocument(kGeminiBody).toJson(QJsonDocument::Compact)));
        QTRY_COMPARE(m_gemini->requests().size(), 1);
        QCOMPARE(exchange(*m_gemini, "GET", "/v1beta/models", kGeminiAuth).status, 200);
        QCOMPARE(client->bytesReceived(), 0);
        client.reset();
        QVERIFY(aborted.wait());
    }

    void keepAliveAndPipelining()
    {
        Client client(m_openai->server().port());
        client.send(Client::request("GET", "/v1/models", kOpenAiAuth));
        QVERIFY(client.waitForResponses(1));
        client.send(Client::request("POST", "/v1/chat/completions", kOpenAiAuth,
                                    QJsonDocument(kChat).toJson(QJsonDocument::Compact)));
        QVERIFY(client.waitForResponses(2));
        // Two pipelined requests in one write are answered in order.
        client.send(
            Client::request("GET", "/v1/models", kOpenAiAuth) +
            Client::request("POST", "/v1/embeddings", kOpenAiAuth,
                            QJsonDocument(QJsonObject{{"model", "e"}, {"input", "x"}}).toJson(QJsonDocument::Compact)));
        QVERIFY(client.waitForResponses(4));
        QVERIFY(!client.closed());
        QCOMPARE(client.responses()[2].json()["object"].toString(), "list");
        QCOMPARE(client.responses()[3].json()["data"][0]["object"].toString(), "embedding");
        QCOMPARE(client.responses()[1].header("connection"), "keep-alive");

        QCOMPARE(m_openai->server().connectionsAccepted(), 1);
        QCOMPARE(m_openai->requests().size(), 4);
        for (const FakeHttpRequest& request : m_openai->requests())
            QCOMPARE(request.connectionId, 1);

        // Connection: close is honoured after the answer.
        client.send(
            Client::request("GET", "/v1/models", {{"Authorization", "Bearer sk-test-good"}, {"Connection", "close"}}));
        QVERIFY(client.waitForClose());
        QCOMPARE(client.completeResponses(), 5);
        QCOMPARE(client.last().header("connection"), "close");
    }

    void chunkedRequestBody()
    {
        const QByteArray json = QJsonDocument(kChat).toJson(QJsonDocument::Compact);
        const QByteArray head =
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-test-good\r\n"
            "Transfer-Encoding: chunked\r\n\r\n";
        const qsizetype half = json.size() / 2;
        const QByteArray body = QByteArray::number(half, 16) + "\r\n" + json.left(half) + "\r\n" +
                                QByteArray::number(json.size() - half, 16) + "\r\n" + json.mid(half) + "\r\n0\r\n\r\n";
        Client client(m_openai->server().port());
        client.send(head + body);
        QVERIFY(client.waitForResponses());
        QCOMPARE(client.last().status, 200);
        QCOMPARE(m_openai->requests().first().body, json);
        QCOMPARE(m_openai->requests().first().header("transfer-encoding"), "chunked");
    }

    void refusedConnectionsSimulateDeadUpstream()
    {
        const quint16 port = m_anthropic->server().port();
        Client idle(port);
        QVERIFY(idle.socket().waitForConnected(5000));
        QTRY_COMPARE(m_anthropic->server().openConnections(), 1);

        m_anthropic->refuseConnections();
        QVERIFY(idle.waitForClose());
        QTcpSocket refused;
        QSignalSpy errors(&refused, &QTcpSocket::errorOccurred);
        refused.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(errors.wait());
        QCOMPARE(refused.error(), QAbstractSocket::ConnectionRefusedError);

        QVERIFY(m_anthropic->acceptConnections());
        QCOMPARE(m_anthropic->server().port(), port);
        QCOMPARE(exchange(*m_anthropic, "GET", "/v1/models", kAnthropicAuth).status, 200);
    }

    void unknownPathInProviderFormat()
    {
        const Response openai = exchange(*m_openai, "POST", "/v1/nope", kOpenAiAuth, kChat);
        QCOMPARE(openai.status, 404);
        QCOMPARE(openai.json()["error"]["message"].toString(), "Invalid URL (POST /v1/nope)");
        const Response anthropic = exchange(*m_anthropic, "GET", "/v1/nope", kAnthropicAuth);
        QCOMPARE(anthropic.status, 404);
        QCOMPARE(anthropic.json()["error"]["type"].toString(), "not_found_error");
        const Response gemini = exchange(*m_gemini, "GET", "/v1beta/nope", kGeminiAuth);
        QCOMPARE(gemini.status, 404);
        QCOMPARE(gemini.json()["error"]["status"].toString(), "NOT_FOUND");
    }
};

GATEHOUSE_TEST_MAIN(TestFakeProviders)
#include "TestFakeProviders.moc"
