#pragma once

// One scripted misbehaviour of a fake provider, applied to one request (see FakeProvider::queueBehavior).
struct FakeBehavior
{
    enum class Kind {
        RateLimited,   // 429 with Retry-After and the provider's rate-limit headers and error body
        ServerError,   // 500 with the provider's error body
        Overloaded,    // the provider's "overloaded": OpenAI and Gemini 503, Anthropic 529
        InvalidKey,    // the provider's answer to a wrong key, whatever key was sent
        SlowFirstByte, // the normal reply, after `amount` ms of silence before the status line
        SlowStream,    // the normal reply, `amount` ms between pieces (SSE events)
        CutStream,     // the normal reply, connection closed after `amount` pieces: no final event, no end of body
        Hang,          // the request is read and never answered
    };

    Kind kind;
    int amount = 0;

    static FakeBehavior rateLimited(int retryAfterSeconds = 1) { return {Kind::RateLimited, retryAfterSeconds}; }
    static FakeBehavior serverError() { return {Kind::ServerError}; }
    static FakeBehavior overloaded() { return {Kind::Overloaded}; }
    static FakeBehavior invalidKey() { return {Kind::InvalidKey}; }
    static FakeBehavior slowFirstByte(int delayMs) { return {Kind::SlowFirstByte, delayMs}; }
    static FakeBehavior slowStream(int intervalMs) { return {Kind::SlowStream, intervalMs}; }
    static FakeBehavior cutStream(int afterPieces) { return {Kind::CutStream, afterPieces}; }
    static FakeBehavior hang() { return {Kind::Hang}; }
};
