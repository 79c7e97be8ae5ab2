#pragma once

#include "config/Config.h"
#include "http/HttpRequest.h"

#include <QHostAddress>

// The address of the client a request came from: its peer, or, when the peer is a reverse proxy the configuration
// trusts (Config::trustedProxies), the last X-Forwarded-For entry that is not itself a trusted proxy. A client that
// is not behind a trusted proxy cannot choose its address by sending the header.
QHostAddress clientAddressOf(const HttpRequest& request, const Config& config);
