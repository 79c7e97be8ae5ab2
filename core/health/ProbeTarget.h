#pragma once

#include "http/HttpHeaders.h"

#include <QByteArray>
#include <QUrl>

#include <memory>

class KeyState;

// One provider key as the health prober sees it: the provider type's cheap probe request, the key injected the
// way the proxy injects it, and the live state the probe's outcome goes to.
struct ProbeTarget
{
    qint64 keyId = 0;
    std::shared_ptr<KeyState> state;
    QByteArray method;
    QUrl url;
    HttpHeaders headers;
    // An OAuth account's access token (empty for an API key): a 401 asks for its refresh instead of judging the key.
    QByteArray oauthToken = {};
};
