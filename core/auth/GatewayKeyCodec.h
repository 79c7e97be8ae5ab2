#pragma once

#include <QByteArray>
#include <QString>

// Gateway keys: the secrets clients put into their SDKs in place of a provider key. Format "gh-" followed by
// 40 base62 characters (238 bits of entropy). Only hash() is stored; prefix() is what lists show.
class GatewayKeyCodec
{
public:
    static constexpr qsizetype kRandomLength = 40;
    static constexpr qsizetype kPrefixLength = 10;

    static QString generate();

    // Lower-case hex SHA-256 of the key (64 characters): the lookup key for the gateway_keys table. A plain hash
    // suffices: 238 random bits cannot be guessed, so no salt or slow KDF is needed.
    static QByteArray hash(QByteArrayView key);
    // The same SHA-256 as 32 raw bytes: what a proxied request looks its key up by, without formatting hex.
    static QByteArray digest(QByteArrayView key);

    // The first kPrefixLength characters ("gh-AbC1234"): enough for a person to tell keys apart, useless to a thief.
    static QString prefix(const QString& key);

    // True for "gh-" + exactly 40 characters from [0-9A-Za-z]. A cheap check before any lookup.
    static bool looksLikeGatewayKey(QStringView text);
};
