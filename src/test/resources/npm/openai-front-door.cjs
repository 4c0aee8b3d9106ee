// Drives the official `openai` npm SDK against the gateway's OpenAI front door and prints what it saw as one
// JSON object, for OpenAiNpmSdkTest to judge. Env: OPENAI_MODULE (path of the installed package),
// OPENAI_BASE_URL, OPENAI_API_KEY, MODEL, STEP (create | stream | tools | tool-result | refused).
const OpenAI = require(process.env.OPENAI_MODULE);

const client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY, maxRetries: 0 });
const model = process.env.MODEL;
const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

async function create() {
  const { data, response, request_id } = await client.chat.completions
    .create({ model, max_completion_tokens: 200, messages: [{ role: 'user', content: 'Say hello.' }] })
    .withResponse();
  // request_id is the SDK's own reading (of x-request-id), what callers log and quote.
  return { requestId: response.headers.get('request-id'), sdkRequestId: request_id, completion: data };
}

async function stream() {
  const { data: events, response } = await client.chat.completions
    .create({
      model,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Tell me a story.' }],
    })
    .withResponse();
  let text = '';
  let usage = null;
  let finish = null;
  let chunks = 0;
  for await (const chunk of events) {
    chunks++;
    if (chunk.choices.length > 0) {
      text += chunk.choices[0].delta.content || '';
      finish = chunk.choices[0].finish_reason || finish;
    }
    if (chunk.usage) {
      usage = chunk.usage;
    }
  }
  return { requestId: response.headers.get('request-id'), text, usage, finish, chunks };
}

async function tools() {
  // The SDK's stream helper assembles the tool call from its argument pieces, as agents do.
  const runner = client.chat.completions.stream({
    model,
    tools: [weather],
    messages: [{ role: 'user', content: 'Weather in Lisbon?' }],
  });
  const completion = await runner.finalChatCompletion();
  return { message: completion.choices[0].message, finish: completion.choices[0].finish_reason };
}

async function toolResult() {
  const call = JSON.parse(process.env.TOOL_CALL);
  const completion = await client.chat.completions.create({
    model,
    tools: [weather],
    messages: [
      { role: 'user', content: 'Weather in Lisbon?' },
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: call.id, content: 'Sunny, 21C' },
    ],
  });
  return { message: completion.choices[0].message, usage: completion.usage };
}

async function refused() {
  // Two choices, which the gateway cannot give: a 400 whose request id the SDK reads.
  await client.chat.completions.create({ model, n: 2, messages: [{ role: 'user', content: 'Say hello.' }] });
  return {};
}

const steps = { create, stream, tools, 'tool-result': toolResult, refused };
steps[process.env.STEP]()
  .then((out) => process.stdout.write(JSON.stringify(out)))
  .catch((e) => {
    process.stdout.write(JSON.stringify({ error: { status: e.status ?? null, name: e.constructor.name, message: String(e.message),
      requestID: e.requestID ?? null } }));
    process.exitCode = 1;
  });
