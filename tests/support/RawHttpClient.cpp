#include "RawHttpClient.h"

#include <QTest>

RawHttpClient::RawHttpClient()
{
    llhttp_settings_init(&m_settings);
    m_settings.on_header_field = &RawHttpClient::onHeaderField;
    m_settings.on_header_value = &RawHttpClient::onHeaderValue;
    m_settings.on_headers_complete = &RawHttpClient::onHeadersComplete;
    m_settings.on_body = &RawHttpClient::onBody;
    m_settings.on_message_complete = &RawHttpClient::onMessageComplete;
    QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] {
        if (m_reading)
            m_in += m_socket.readAll();
    });
}

RawHttpClient::~RawHttpClient() = default;

bool RawHttpClient::connectTo(quint16 port, bool tls, const QList<QSslCertificate>& trusted)
{
    if (tls) {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setCaCertificates(trusted);
        m_socket.setSslConfiguration(configuration);
        m_socket.setPeerVerifyName(QStringLiteral("localhost"));
        m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        return QTest::qWaitFor([this] { return m_socket.isEncrypted(); }, 10'000);
    }
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 10'000);
}

bool RawHttpClient::connectFrom(const QHostAddress& local, quint16 port)
{
    if (!m_socket.bind(local))
        return false;
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 10'000);
}

void RawHttpClient::send(const QByteArray& bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

void RawHttpClient::setReading(bool reading)
{
    m_reading = reading;
    m_socket.setReadBufferSize(reading ? 0 : 64 * 1024);
    if (reading)
        m_in += m_socket.readAll();
}

bool RawHttpClient::isOpen() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

bool RawHttpClient::waitForClosed(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
}

bool RawHttpClient::waitForData(const QByteArray& needle, int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_in.contains(needle); }, timeoutMs);
}

RawHttpClient::Response RawHttpClient::readResponse(bool headRequest, int timeoutMs)
{
    m_current = Response();
    m_done = false;
    m_headRequest = headRequest;
    m_lastWasValue = false;
    llhttp_init(&m_parser, HTTP_RESPONSE, &m_settings);
    m_parser.data = this;
    bool failed = false;
    auto step = [&] {
        if (!m_in.isEmpty()) {
            const llhttp_errno_t error = llhttp_execute(&m_parser, m_in.constData(), size_t(m_in.size()));
            if (error == HPE_PAUSED) {
                m_in.remove(0, llhttp_get_error_pos(&m_parser) - m_in.constData());
                llhttp_resume(&m_parser);
            } else if (error != HPE_OK) {
                failed = true;
            } else {
                m_in.clear();
            }
        }
        if (!m_done && !failed && m_socket.state() == QAbstractSocket::UnconnectedState && m_in.isEmpty() &&
            m_socket.bytesAvailable() == 0) {
            if (llhttp_finish(&m_parser) != HPE_OK || !m_done)
                failed = true;
        }
        return m_done || failed;
    };
    (void)QTest::qWaitFor(step, timeoutMs);
    m_current.complete = m_done;
    return m_current;
}

int RawHttpClient::onHeaderField(llhttp_t* parser, const char* at, size_t length)
{
    auto* self = reinterpret_cast<RawHttpClient*>(parser->data);
    if (self->m_lastWasValue || self->m_current.headers.isEmpty())
        self->m_current.headers.append(QByteArray(at, qsizetype(length)), QByteArray());
    else
        self->m_current.headers.appendToLastName(QByteArrayView(at, qsizetype(length)));
    self->m_lastWasValue = false;
    return 0;
}

int RawHttpClient::onHeaderValue(llhttp_t* parser, const char* at, size_t length)
{
    auto* self = reinterpret_cast<RawHttpClient*>(parser->data);
    self->m_current.headers.appendToLastValue(QByteArrayView(at, qsizetype(length)));
    self->m_lastWasValue = true;
    return 0;
}

int RawHttpClient::onHeadersComplete(llhttp_t* parser)
{
    auto* self = reinterpret_cast<RawHttpClient*>(parser->data);
    self->m_current.status = llhttp_get_status_code(parser);
    if (self->m_current.status == 100) { // interim: keep reading for the real response
        self->m_current.headers = HttpHeaders();
        return 0;
    }
    return self->m_headRequest ? 1 : 0;
}

int RawHttpClient::onBody(llhttp_t* parser, const char* at, size_t length)
{
    reinterpret_cast<RawHttpClient*>(parser->data)->m_current.body.append(at, qsizetype(length));
    return 0;
}

int RawHttpClient::onMessageComplete(llhttp_t* parser)
{
    auto* self = reinterpret_cast<RawHttpClient*>(parser->data);
    if (self->m_current.status == 100)
        return 0;
    self->m_done = true;
    return HPE_PAUSED;
}
