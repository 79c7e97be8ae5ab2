#include "TestHandlers.h"

#include "CallbackHandler.h"
#include "WholeBody.h"
#include "http/HttpExchange.h"

#include <QTimer>

namespace {

// Answers after a delay. The exchange owns the timer: a client that leaves first takes it along.
class DelayedReply : public HttpExchange::Listener
{
public:
    DelayedReply(HttpExchange* exchange, int ms)
    {
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout,
                         [exchange, ms] { exchange->respond(200, {}, "delayed " + QByteArray::number(ms)); });
        m_timer.start(ms);
    }

private:
    QTimer m_timer;
};

} // namespace

HttpRequestHandlerFactory testHandlerFactory()
{
    return CallbackHandler::factory([](HttpExchange* exchange) {
        const QByteArray path = exchange->request().path;
        if (path == "/echo") {
            WholeBody::read(exchange, [](HttpExchange* exchange, const QByteArray& body) {
                exchange->respond(200, {{"X-Method", exchange->request().method}}, body);
            });
        } else if (path == "/chunked") {
            exchange->writeHead(200, {{"Content-Type", "text/plain"}});
            exchange->writeBody("alpha");
            exchange->writeBody("beta");
            exchange->writeBody("gamma");
            exchange->end();
        } else if (path.startsWith("/delay/")) {
            const int ms = path.mid(7).toInt();
            exchange->setListener(std::make_unique<DelayedReply>(exchange, ms));
        } else if (path == "/reject") {
            exchange->respondError(401, "unauthorized", "no key");
        } else {
            exchange->respond(200, {{"Content-Type", "text/plain"}}, "hello");
        }
    });
}
