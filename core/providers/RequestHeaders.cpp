#include "providers/RequestHeaders.h"

#include <QRandomGenerator>
#include <QVarLengthArray>

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

namespace {

// Headers that describe the hop, not the request (RFC 9110 section 7.6.1, plus the deprecated Proxy-Connection and
// Expect, which the engine answers itself).
constexpr QByteArrayView kHopByHop[] = {"connection",
                                        "keep-alive",
                                        "proxy-connection",
                                        "proxy-authorization",
                                        "proxy-authenticate",
                                        "te",
                                        "trailer",
                                        "transfer-encoding",
                                        "upgrade",
                                        "expect"};

// Headers that tell who or where the client is: proxies, load balancers and CDNs (Cloudflare, Fastly, Akamai, Azure
// Front Door, Google App Engine, Envoy, Sucuri) set these.
constexpr QByteArrayView kIdentity[] = {"forwarded",
                                        "via",
                                        "x-real-ip",
                                        "true-client-ip",
                                        "cf-connecting-ip",
                                        "cf-connecting-ipv6",
                                        "cf-ipcountry",
                                        "cf-ray",
                                        "cf-visitor",
                                        "cf-worker",
                                        "cdn-loop",
                                        "fastly-client-ip",
                                        "x-client-ip",
                                        "x-cluster-client-ip",
                                        "client-ip",
                                        "x-original-forwarded-for",
                                        "x-originating-ip",
                                        "x-remote-ip",
                                        "x-remote-addr",
                                        "x-proxyuser-ip",
                                        "x-azure-clientip",
                                        "x-azure-socketip",
                                        "x-appengine-user-ip",
                                        "x-envoy-external-address",
                                        "x-sucuri-clientip",
                                        "cookie",
                                        "cookie2"};

// Credential headers: the provider key goes in exactly one of them, a client's key must reach none.
constexpr QByteArrayView kCredentials[] = {"authorization", "x-api-key", "x-goog-api-key", "api-key"};

// Headers that choose the account a provider key bills and authorizes against (OpenAI's organization and project,
// Google's quota project). A tenant must not move the shared key to another account, nor make the provider refuse
// it: these are the admin's to set, in the provider type's default headers.
constexpr QByteArrayView kAccount[] = {"openai-organization", "openai-project", "x-goog-user-project"};

bool inList(QByteArrayView name, const auto& list)
{
    return std::any_of(std::begin(list), std::end(list),
                       [&](QByteArrayView item) { return HttpHeaders::sameName(name, item); });
}

// Dropped for every provider too: the provider's Host is written, Accept-Encoding is identity, and the request id is
// the gateway's.
constexpr QByteArrayView kRewritten[] = {"host", "accept-encoding", "x-request-id"};

// Names compared for every field, as views made once: a view of a literal counts its length at every call.
constexpr QByteArrayView kConnection = "connection";
constexpr QByteArrayView kForwardedPrefix = "x-forwarded-";
constexpr QByteArrayView kRequestId = "x-request-id";

// The names of the lists above by length, as lower-case views: each header is compared with the few of its own
// length instead of all 47, and in full only with those that start with its letter. Built when compiling: a request
// from an official SDK has 15 to 20 headers, each looked up for every request.
struct NamesByLength
{
    static constexpr size_t kLongest = 24;
    static constexpr size_t kMostOfALength = 8;
    std::array<std::array<QByteArrayView, kMostOfALength>, kLongest + 1> names{};
    std::array<size_t, kLongest + 1> counts{};

    constexpr void add(const auto& list)
    {
        for (const QByteArrayView name : list) {
            const size_t length = size_t(name.size());
            // alwaysDropped() compares first bytes with the lower-case bit set: a first byte must be unchanged by it.
            if (length == 0 || length > kLongest || counts[length] == kMostOfALength ||
                char(name.front() | 0x20) != name.front() ||
                std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
                throw "a name empty, too long, one too many of a length, not in lower case, or not starting with a "
                      "letter"; // fails compiling
            names[length][counts[length]++] = name;
        }
    }
};

constexpr NamesByLength kAlwaysDropped = [] {
    NamesByLength table;
    table.add(kHopByHop);
    table.add(kIdentity);
    table.add(kCredentials);
    table.add(kAccount);
    table.add(kRewritten);
    return table;
}();

// Whether a client's header is dropped whatever the provider: one of the lists above.
bool alwaysDropped(QByteArrayView name)
{
    const size_t length = size_t(name.size());
    if (length == 0 || length > NamesByLength::kLongest)
        return false;
    const char first = char(name.front() | 0x20); // lower case, for a letter
    const auto& names = kAlwaysDropped.names[length];
    for (size_t i = 0; i < kAlwaysDropped.counts[length]; ++i) {
        if (names[i].front() == first && HttpHeaders::sameName(name, names[i]))
            return true;
    }
    return false;
}

} // namespace

HttpHeaders RequestHeaders::upstream(const HttpHeaders& client, const ProviderProfile& profile,
                                     const KeyCredential& credential, QByteArrayView keyHeader,
                                     QByteArrayView requestId)
{
    const QByteArrayView authHeader = credential.authHeader.isEmpty() ? profile.authHeader : credential.authHeader;
    const QByteArrayView authTemplate =
        credential.authTemplate.isEmpty() ? QByteArrayView(profile.authTemplate) : credential.authTemplate;
    // Dropped besides the lists: where this type and this key put credentials, where the gateway found the client's
    // key, and what the client's Connection names. Names the lists hold are left out, so for the built-in types,
    // whose credential headers the lists hold, a field is looked up in the lists only.
    QVarLengthArray<QByteArrayView, 8> alsoDropped;
    const auto drop = [&alsoDropped](QByteArrayView name) {
        if (!name.isEmpty() && !alwaysDropped(name))
            alsoDropped.append(name);
    };
    for (const QByteArray& name : profile.clientKeyHeaders)
        drop(name);
    drop(profile.authHeader);
    drop(authHeader);
    drop(keyHeader);
    for (const auto& [name, value] : client) {
        if (!HttpHeaders::sameName(name, kConnection))
            continue;
        for (QByteArrayView rest = value; !rest.isEmpty();) {
            const qsizetype comma = rest.indexOf(',');
            drop((comma < 0 ? rest : rest.first(comma)).trimmed());
            rest = comma < 0 ? QByteArrayView() : rest.sliced(comma + 1);
        }
    }
    // The provider's Host, then the client's fields that go on.
    HttpHeaders out = client.afterField(
        "host", profile.origin.authority,
        [&](QByteArrayView name) {
            return alwaysDropped(name) || inList(name, alsoDropped) ||
                   (name.size() > kForwardedPrefix.size() &&
                    HttpHeaders::sameName(name.first(kForwardedPrefix.size()), kForwardedPrefix));
        },
        3 + profile.defaultHeaders.size() + credential.extraHeaders.size(), 256 + requestId.size());
    // The provider key in the template ("Bearer {key}", "{key}"), written straight into the field.
    out.append(authHeader, {});
    QByteArrayView rest = authTemplate;
    // Searched as a std::string_view, inline: QByteArrayView::indexOf() of a string cost 500 instructions a request.
    const auto keyAt = [](QByteArrayView text) {
        const size_t at = std::string_view(text.data(), size_t(text.size())).find("{key}");
        return at == std::string_view::npos ? qsizetype(-1) : qsizetype(at);
    };
    for (qsizetype at; (at = keyAt(rest)) >= 0; rest = rest.sliced(at + 5)) {
        out.appendToLastValue(rest.first(at));
        out.appendToLastValue(credential.secret);
    }
    out.appendToLastValue(rest);
    for (const auto& [name, value] : credential.extraHeaders) {
        if (requestId.isEmpty() || !HttpHeaders::sameName(name, kRequestId)) // the gateway's id goes alone
            out.set(name, value);
    }
    // Usage is read from the bytes as they pass: a compressed response would hide it.
    out.append("accept-encoding", "identity");
    if (!requestId.isEmpty())
        out.append(kRequestId, requestId);
    for (const auto& [name, defaultValue] : profile.defaultHeaders) {
        if (!out.contains(name))
            out.append(name, defaultValue);
    }
    return out;
}

RequestHeaders::ClientKey RequestHeaders::clientKey(const HttpHeaders& headers, QByteArrayView query,
                                                    const ProviderProfile& profile)
{
    ClientKey found;
    for (const QByteArray& name : profile.clientKeyHeaders) {
        QByteArrayView key = headers.value(name).trimmed();
        if (HttpHeaders::sameName(name, "authorization")) {
            if (key.size() < 7 || !HttpHeaders::sameName(key.first(7), "bearer "))
                continue;
            key = key.sliced(7).trimmed();
        }
        if (!key.isEmpty()) {
            found.key = key.toByteArray();
            found.header = name;
            break;
        }
    }
    if (profile.clientKeyQuery.isEmpty()) {
        found.forwardQuery = query.toByteArray();
        return found;
    }
    // Every occurrence of the parameter is removed, so that a key never reaches the provider.
    QList<QByteArrayView> kept;
    for (qsizetype start = 0; start <= query.size();) {
        qsizetype end = query.indexOf('&', start);
        if (end < 0)
            end = query.size();
        const QByteArrayView pair = query.sliced(start, end - start);
        const qsizetype equals = pair.indexOf('=');
        const QByteArrayView name = equals < 0 ? pair : pair.first(equals);
        if (QByteArray::fromPercentEncoding(name.toByteArray()) == profile.clientKeyQuery) {
            if (found.key.isEmpty() && equals >= 0)
                found.key = QByteArray::fromPercentEncoding(pair.sliced(equals + 1).toByteArray().replace('+', ' '));
        } else if (!pair.isEmpty()) {
            kept.append(pair);
        }
        start = end + 1;
    }
    for (const QByteArrayView pair : kept) {
        if (!found.forwardQuery.isEmpty())
            found.forwardQuery += '&';
        found.forwardQuery += pair;
    }
    return found;
}

QByteArray RequestHeaders::requestIdFrom(const HttpHeaders& headers)
{
    const QByteArrayView given = headers.value("x-request-id");
    const bool safe =
        !given.isEmpty() && given.size() <= kMaxRequestIdLength && std::all_of(given.begin(), given.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                   c == '-';
        });
    if (safe)
        return given.toByteArray();
    // SplitMix64 per thread, from a seed of the system's: a bijection of a counter, so a thread repeats no id for 2^63
    // requests, and two threads' sequences overlap within n ids with odds of about n / 2^63. An id must be unique, not
    // secret: nothing is looked up or allowed by it. QRandomGenerator::global() cost 250 instructions per request.
    thread_local quint64 state = QRandomGenerator::system()->generate64();
    const auto next = [] {
        quint64 z = (state += 0x9e3779b97f4a7c15);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    };
    const quint64 random[2] = {next(), next()};
    // 32 hex digits written here, two per byte from a table: QByteArray::toHex() cost five times more.
    static constexpr auto kHexPairs = [] {
        constexpr char kDigits[] = "0123456789abcdef";
        std::array<char, 512> pairs{};
        for (size_t byte = 0; byte < 256; ++byte) {
            pairs[2 * byte] = kDigits[byte >> 4];
            pairs[2 * byte + 1] = kDigits[byte & 0xf];
        }
        return pairs;
    }();
    QByteArray id(32, Qt::Uninitialized);
    char* out = id.data();
    for (const quint64 word : random) {
        for (int shift = 56; shift >= 0; shift -= 8, out += 2)
            std::memcpy(out, &kHexPairs[2 * ((word >> shift) & 0xff)], 2);
    }
    return id;
}
