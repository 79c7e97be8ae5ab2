#include "ProviderSamples.h"

namespace ProviderSamples {

QByteArray openAiChat()
{
    return R"({
  "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
  "object": "chat.completion",
  "created": 1741569952,
  "model": "gpt-4.1-2025-04-14",
  "choices": [
    {
      "index": 0,
      "message": {
        "role": "assistant",
        "content": "Hello! How can I assist you today? {\"usage\": {\"prompt_tokens\": 999}}",
        "refusal": null,
        "annotations": []
      },
      "logprobs": null,
      "finish_reason": "stop"
    }
  ],
  "usage": {
    "prompt_tokens": 1019,
    "completion_tokens": 10,
    "total_tokens": 1029,
    "prompt_tokens_details": {
      "cached_tokens": 1000,
      "audio_tokens": 0
    },
    "completion_tokens_details": {
      "reasoning_tokens": 0,
      "audio_tokens": 0,
      "accepted_prediction_tokens": 0,
      "rejected_prediction_tokens": 0
    }
  },
  "service_tier": "default"
}
)";
}

QByteArray openAiChatStream(bool includeUsage)
{
    const QByteArray head =
        R"({"id":"chatcmpl-AyPZ7mtuvXIXDTmRCKUjbGyzOgb1B","object":"chat.completion.chunk","created":1739035497,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_72ed7ab54c","choices":)";
    const QByteArray usageNull = includeUsage ? QByteArray(R"(,"usage":null)") : QByteArray();
    const QByteArray deltas[] = {
        R"([{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}])",
        R"([{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}])",
        R"([{"index":0,"delta":{"content":"! \"usage\":null, how"},"logprobs":null,"finish_reason":null}])",
        R"([{"index":0,"delta":{"content":" can I help?"},"logprobs":null,"finish_reason":null}])",
        R"([{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}])",
    };
    QByteArray stream;
    for (const QByteArray& delta : deltas)
        stream += "data: " + head + delta + usageNull + "}\n\n";
    if (includeUsage) {
        stream +=
            "data: " + head +
            R"([],"usage":{"prompt_tokens":1217,"completion_tokens":9,"total_tokens":1226,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}})" +
            "\n\n";
    }
    stream += "data: [DONE]\n\n";
    return stream;
}

QByteArray openAiResponses()
{
    return R"({
  "id": "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b",
  "object": "response",
  "created_at": 1741476542,
  "status": "completed",
  "error": null,
  "incomplete_details": null,
  "instructions": null,
  "max_output_tokens": null,
  "model": "gpt-4.1-2025-04-14",
  "output": [
    {
      "type": "message",
      "id": "msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b",
      "status": "completed",
      "role": "assistant",
      "content": [
        {
          "type": "output_text",
          "text": "In a peaceful grove beneath a silver moon, a unicorn named Lumina discovered a hidden pool.",
          "annotations": []
        }
      ]
    }
  ],
  "parallel_tool_calls": true,
  "previous_response_id": null,
  "reasoning": {"effort": null, "summary": null},
  "store": true,
  "temperature": 1.0,
  "text": {"format": {"type": "text"}},
  "tool_choice": "auto",
  "tools": [],
  "top_p": 1.0,
  "truncation": "disabled",
  "usage": {
    "input_tokens": 36,
    "input_tokens_details": {"cached_tokens": 12},
    "output_tokens": 87,
    "output_tokens_details": {"reasoning_tokens": 0},
    "total_tokens": 123
  },
  "user": null,
  "metadata": {}
}
)";
}

QByteArray openAiResponsesStream()
{
    return R"(event: response.created
data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654","object":"response","created_at":1741290958,"status":"in_progress","error":null,"incomplete_details":null,"instructions":"You are a helpful assistant.","max_output_tokens":null,"model":"gpt-4.1-2025-04-14","output":[],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":null,"summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":null,"user":null,"metadata":{}}}

event: response.in_progress
data: {"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654","object":"response","created_at":1741290958,"status":"in_progress","model":"gpt-4.1-2025-04-14","output":[],"usage":null}}

event: response.output_item.added
data: {"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","type":"message","status":"in_progress","role":"assistant","content":[]}}

event: response.output_text.delta
data: {"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"delta":"Hi"}

event: response.output_text.done
data: {"type":"response.output_text.done","sequence_number":4,"item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"text":"Hi there! How can I assist you today?"}

event: response.completed
data: {"type":"response.completed","sequence_number":5,"response":{"id":"resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654","object":"response","created_at":1741290958,"status":"completed","error":null,"model":"gpt-4.1-2025-04-14","output":[{"id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hi there! How can I assist you today?","annotations":[]}]}],"usage":{"input_tokens":37,"input_tokens_details":{"cached_tokens":0},"output_tokens":11,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":48},"user":null,"metadata":{}}}

)";
}

QByteArray openAiEmbeddings()
{
    return R"({
  "object": "list",
  "data": [
    {"object": "embedding", "index": 0, "embedding": [0.0023064255, -0.009327292, -0.0028842222, 0.01527289]},
    {"object": "embedding", "index": 1, "embedding": [-0.008815271, 0.0027961312, 0.003104713, -0.02135472]}
  ],
  "model": "text-embedding-3-small",
  "usage": {"prompt_tokens": 8, "total_tokens": 8}
}
)";
}

QByteArray openAiEmbeddingsLarge()
{
    QByteArray data = "[";
    for (int item = 0; item < 64; ++item) {
        data += (item ? "," : "") + QByteArray(R"({"object":"embedding","index":)") + QByteArray::number(item) +
                R"(,"embedding":[)";
        for (int i = 0; i < 1536; ++i)
            data += (i ? "," : "") + QByteArray("-0.0") + QByteArray::number(1000000 + i * 7 + item);
        data += "]}";
    }
    data += "]";
    return R"({"object":"list","data":)" + data +
           R"(,"model":"text-embedding-3-large","usage":{"prompt_tokens":4096,"total_tokens":4096}})";
}

QByteArray anthropicMessage()
{
    return R"({
  "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
  "type": "message",
  "role": "assistant",
  "model": "claude-sonnet-4-20250514",
  "content": [{"type": "text", "text": "Hi! My name is Claude."}],
  "stop_reason": "end_turn",
  "stop_sequence": null,
  "usage": {
    "input_tokens": 21,
    "cache_creation_input_tokens": 188,
    "cache_read_input_tokens": 1024,
    "output_tokens": 393,
    "service_tier": "standard"
  }
}
)";
}

QByteArray anthropicStream()
{
    return R"(event: message_start
data: {"type":"message_start","message":{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-20250514","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":1800,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"! How can I help?"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

event: message_stop
data: {"type":"message_stop"}

)";
}

QByteArray geminiGenerate()
{
    return R"({
  "candidates": [
    {
      "content": {
        "parts": [{"text": "AI learns patterns from data to make predictions."}],
        "role": "model"
      },
      "finishReason": "STOP",
      "avgLogprobs": -0.2183
    }
  ],
  "usageMetadata": {
    "promptTokenCount": 8,
    "candidatesTokenCount": 9,
    "totalTokenCount": 17,
    "cachedContentTokenCount": 4,
    "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 8}],
    "candidatesTokensDetails": [{"modality": "TEXT", "tokenCount": 9}]
  },
  "modelVersion": "gemini-2.0-flash-001",
  "responseId": "7FXBaLLqN5rE1MkPlp2e6Qk"
}
)";
}

QByteArray geminiStreamSse()
{
    return "data: "
           R"({"candidates": [{"content": {"parts": [{"text": "The"}],"role": "model"}}],"usageMetadata": {"promptTokenCount": 9,"totalTokenCount": 9},"modelVersion": "gemini-2.0-flash-001","responseId": "mkjBaNqiNMOf1MkP8oGqwQE"})"
           "\r\n\r\n"
           "data: "
           R"({"candidates": [{"content": {"parts": [{"text": " sky is blue because of Rayleigh scattering."}],"role": "model"}}],"usageMetadata": {"promptTokenCount": 9,"candidatesTokenCount": 5,"totalTokenCount": 14},"modelVersion": "gemini-2.0-flash-001","responseId": "mkjBaNqiNMOf1MkP8oGqwQE"})"
           "\r\n\r\n"
           "data: "
           R"({"candidates": [{"content": {"parts": [{"text": ""}],"role": "model"},"finishReason": "STOP"}],"usageMetadata": {"promptTokenCount": 9,"candidatesTokenCount": 12,"totalTokenCount": 21,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 9}]},"modelVersion": "gemini-2.0-flash-001","responseId": "mkjBaNqiNMOf1MkP8oGqwQE"})"
           "\r\n\r\n";
}

QByteArray geminiStreamArray()
{
    return "[{\n"
           R"(  "candidates": [{"content": {"parts": [{"text": "The [sky] is {blue"}], "role": "model"}}],)"
           "\n"
           R"(  "usageMetadata": {"promptTokenCount": 9, "totalTokenCount": 9},)"
           "\n"
           R"(  "modelVersion": "gemini-2.0-flash-001")"
           "\n}\n,\r\n{\n"
           R"(  "candidates": [{"content": {"parts": [{"text": "} because \"of\" scattering."}], "role": "model"}, "finishReason": "STOP"}],)"
           "\n"
           R"(  "usageMetadata": {"promptTokenCount": 9, "candidatesTokenCount": 11, "totalTokenCount": 20},)"
           "\n"
           R"(  "modelVersion": "gemini-2.0-flash-001")"
           "\n}\n]";
}

} // namespace ProviderSamples
