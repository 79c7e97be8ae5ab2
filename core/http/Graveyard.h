#pragma once

#include <QObject>

#include <memory>
#include <vector>

class HttpExchange;

// Ended exchanges wait here until control is back in the event loop, since the handler that ended one may still be
// on the stack: what deleteLater() does for a QObject, without a QObject per request, and with one posted event for
// all the exchanges that end during one pass of the loop. One per worker thread, living in it.
class Graveyard : public QObject
{
public:
    explicit Graveyard(QObject* parent = nullptr);
    ~Graveyard() override; // deletes what is still waiting

    void bury(std::unique_ptr<HttpExchange> exchange);

protected:
    void customEvent(QEvent* event) override;

private:
    std::vector<std::unique_ptr<HttpExchange>> m_buried;
    bool m_sweepPosted = false;
};
