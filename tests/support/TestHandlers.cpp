#include "TestHandlers.h"

#include "CallbackHandler.h"
#include "WholeBody.h"
#include "http/HttpExchange.h"

#include <QTimer>

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
            QTimer::singleShot(ms, exchange,
                               [exchange, ms] { exchange->respond(200, {}, "delayed " + QByteArray::number(ms)); });
        } else if (path == "/reject") {
            exchange->respondError(401, "unauthorized", "no key");
        } else {
            exchange->respond(200, {{"Content-Type", "text/plain"}}, "hello");
        }
    });
}
