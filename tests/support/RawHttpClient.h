#pragma once

#include "http/HttpHeaders.h"

#include <llhttp.h>

#include <QSslSocket>

// A client that writes raw bytes and parses responses with llhttp, waiting on the event loop (never blocking it), so
// servers on the test's own thread keep running.
class RawHttpClient
{
public:
    struct Response
    {
        int status = 0;
        HttpHeaders headers;
        QByteArray body;
        bool complete = false; // the message ended properly (final chunk / Content-Length reached / clean close)
    };

    RawHttpClient();
    ~RawHttpClient();

    bool connectTo(quint16 port, bool tls = false, const QList<QSslCertificate>& trusted = {});
    // From another loopback address (127.0.0.2...): another client, as the server sees it.
    bool connectFrom(const QHostAddress& local, quint16 port);
    void send(const QByteArray& bytes);
    // The next response; `headRequest` when it answers a HEAD. Waits up to timeoutMs.
    Response readResponse(bool headRequest = false, int timeoutMs = 10'000);
    bool waitForClosed(int timeoutMs = 10'000);
    // Waits until the unparsed bytes contain `needle`.
    bool waitForData(const QByteArray& needle, int timeoutMs = 10'000);
    bool isOpen() const;
    // A client that stops reading leaves the bytes in the kernel (and at most 64 KiB in the socket).
    void setReading(bool reading);
    QSslSocket& socket() { return m_socket; }
    // Bytes received but not parsed yet.
    const QByteArray& unparsed() const { return m_in; }

private:
    static int onHeaderField(llhttp_t* parser, const char* at, size_t length);
    static int onHeaderValue(llhttp_t* parser, const char* at, size_t length);
    static int onHeadersComplete(llhttp_t* parser);
    static int onBody(llhttp_t* parser, const char* at, size_t length);
    static int onMessageComplete(llhttp_t* parser);

    QSslSocket m_socket;
    llhttp_t m_parser;
    llhttp_settings_t m_settings;
    QByteArray m_in;
    Response m_current;
    bool m_lastWasValue = false;
    bool m_headRequest = false;
    bool m_done = false;
    bool m_reading = true;
};
