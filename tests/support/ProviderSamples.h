#pragma once

#include <QByteArray>

// Response bodies and event streams in the exact shapes the providers send (from their API references), for tests
// of usage extraction, stream filtering and fake providers.
namespace ProviderSamples {

QByteArray openAiChat();                        // chat.completion, usage with cached tokens
QByteArray openAiChatStream(bool includeUsage); // chat.completion.chunk events and [DONE]; with the usage chunk and
                                                // "usage":null members exactly when includeUsage
QByteArray openAiResponses();                   // responses API object
QByteArray openAiResponsesStream();             // responses API events up to response.completed
QByteArray openAiEmbeddings();                  // two small vectors
QByteArray openAiEmbeddingsLarge();             // ~2 MiB of vectors before "model" and "usage"
QByteArray anthropicMessage();                  // with cache creation and cache read tokens
QByteArray anthropicStream();                   // message_start ... message_stop, with ping and cache read tokens
QByteArray geminiGenerate();                    // generateContent
QByteArray geminiStreamSse();                   // streamGenerateContent?alt=sse, CRLF line ends
QByteArray geminiStreamArray();                 // streamGenerateContent without alt=sse: one JSON array, pretty-printed

} // namespace ProviderSamples
