#include "pages/Snippets.h"

#include <QObject>

namespace Snippets {

QList<QPair<QString, QString>> forKey(const QString& apiFormat, const QString& baseUrl, const QString& key)
{
    QString base = baseUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    const auto fill = [&](QString code) {
        return code.replace(QLatin1String("{base}"), base).replace(QLatin1String("{key}"), key);
    };
    if (apiFormat == QLatin1String("anthropic")) {
        return {{QStringLiteral("Python"),
                 fill(QStringLiteral("import anthropic\n\n"
                                     "client = anthropic.Anthropic(\n"
                                     "    base_url=\"{base}\",\n"
                                     "    api_key=\"{key}\")\n"
                                     "message = client.messages.create(\n"
                                     "    model=\"claude-sonnet-4-5\", max_tokens=256,\n"
                                     "    messages=[{\"role\": \"user\", \"content\": \"Hello\"}])\n"
                                     "print(message.content[0].text)\n"))},
                {QStringLiteral("JavaScript"),
                 fill(QStringLiteral("import Anthropic from \"@anthropic-ai/sdk\";\n\n"
                                     "const client = new Anthropic({ baseURL: \"{base}\", apiKey: \"{key}\" });\n"
                                     "const message = await client.messages.create({\n"
                                     "  model: \"claude-sonnet-4-5\", max_tokens: 256,\n"
                                     "  messages: [{ role: \"user\", content: \"Hello\" }],\n"
                                     "});\n"
                                     "console.log(message.content[0].text);\n"))},
                {QStringLiteral("curl"),
                 fill(QStringLiteral("curl {base}/v1/messages \\\n"
                                     "  -H \"x-api-key: {key}\" \\\n"
                                     "  -H \"anthropic-version: 2023-06-01\" \\\n"
                                     "  -H \"content-type: application/json\" \\\n"
                                     "  -d '{\"model\": \"claude-sonnet-4-5\", \"max_tokens\": 256, "
                                     "\"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}'\n"))}};
    }
    if (apiFormat == QLatin1String("gemini")) {
        return {{QStringLiteral("Python"),
                 fill(QStringLiteral(
                     "from google import genai\n"
                     "from google.genai import types\n\n"
                     "client = genai.Client(api_key=\"{key}\",\n"
                     "                      http_options=types.HttpOptions(base_url=\"{base}\"))\n"
                     "response = client.models.generate_content(model=\"gemini-2.5-flash\", contents=\"Hello\")\n"
                     "print(response.text)\n"))},
                {QStringLiteral("JavaScript"),
                 fill(QStringLiteral(
                     "import { GoogleGenAI } from \"@google/genai\";\n\n"
                     "const ai = new GoogleGenAI({ apiKey: \"{key}\", httpOptions: { baseUrl: \"{base}\" } });\n"
                     "const response = await ai.models.generateContent({ model: \"gemini-2.5-flash\", "
                     "contents: \"Hello\" });\n"
                     "console.log(response.text);\n"))},
                {QStringLiteral("curl"),
                 fill(QStringLiteral("curl \"{base}/v1beta/models/gemini-2.5-flash:generateContent\" \\\n"
                                     "  -H \"x-goog-api-key: {key}\" \\\n"
                                     "  -H \"content-type: application/json\" \\\n"
                                     "  -d '{\"contents\": [{\"parts\": [{\"text\": \"Hello\"}]}]}'\n"))}};
    }
    return {
        {QStringLiteral("Python"), fill(QStringLiteral("from openai import OpenAI\n\n"
                                                       "client = OpenAI(\n"
                                                       "    base_url=\"{base}/v1\",\n"
                                                       "    api_key=\"{key}\")\n"
                                                       "completion = client.chat.completions.create(\n"
                                                       "    model=\"gpt-4o-mini\",\n"
                                                       "    messages=[{\"role\": \"user\", \"content\": \"Hello\"}])\n"
                                                       "print(completion.choices[0].message.content)\n"))},
        {QStringLiteral("JavaScript"),
         fill(QStringLiteral("import OpenAI from \"openai\";\n\n"
                             "const client = new OpenAI({ baseURL: \"{base}/v1\", apiKey: \"{key}\" });\n"
                             "const completion = await client.chat.completions.create({\n"
                             "  model: \"gpt-4o-mini\",\n"
                             "  messages: [{ role: \"user\", content: \"Hello\" }],\n"
                             "});\n"
                             "console.log(completion.choices[0].message.content);\n"))},
        {QStringLiteral("curl"), fill(QStringLiteral("curl {base}/v1/chat/completions \\\n"
                                                     "  -H \"Authorization: Bearer {key}\" \\\n"
                                                     "  -H \"content-type: application/json\" \\\n"
                                                     "  -d '{\"model\": \"gpt-4o-mini\", \"messages\": "
                                                     "[{\"role\": \"user\", \"content\": \"Hello\"}]}'\n"))}};
}

} // namespace Snippets
