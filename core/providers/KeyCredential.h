#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

// How a provider key signs the requests sent with it: an API key in its provider type's header and template, or an
// OAuth account's access token in its configuration's header and template ("{key}" marks it in both), with the
// headers the provider wants on requests made with OAuth tokens. What follows the secret defaults to empty: an API
// key's credential is KeyCredential{secret}.
struct KeyCredential
{
    QByteArray secret;                                      // the API key, or the access token
    QByteArray authHeader = {};                             // empty: the provider type's
    QByteArray authTemplate = {};                           // empty: the provider type's
    QList<QPair<QByteArray, QByteArray>> extraHeaders = {}; // set over the client's
    qint64 oauthSessionId = 0;                              // 0: an API key
    bool disconnected = false; // an OAuth account whose refresh was refused: kept for its health, never probed

    bool isOAuth() const { return oauthSessionId != 0; }
};
