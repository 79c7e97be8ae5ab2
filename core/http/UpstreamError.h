#pragma once

#include <QMetaType>
#include <QString>

enum class UpstreamErrorKind { ConnectFailed, Timeout, Tls, Reset, Protocol };

// Why an upstream exchange failed, and whether the client may already have seen part of the response.
struct UpstreamError
{
    UpstreamErrorKind kind = UpstreamErrorKind::Protocol;
    QString message;
    bool responseStarted = false; // at least one response byte had arrived

    QString kindName() const;
};

Q_DECLARE_METATYPE(UpstreamError)
