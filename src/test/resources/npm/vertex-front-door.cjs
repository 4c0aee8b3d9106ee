// Drives the official `@anthropic-ai/vertex-sdk` against the gateway's Vertex front door and prints what it saw as one
// JSON object, for VertexNpmSdkTest to judge. Env: VERTEX_MODULE (path of the installed package), VERTEX_BASE_URL
// ({gateway}/vertex/v1), GATEWAY_KEY, MODEL (a Vertex model id), STEP (create | stream | tools | count | google-token).
const { AnthropicVertex } = require(process.env.VERTEX_MODULE);

// The gateway key in place of Google's OAuth: an auth client whose request headers are the gateway's bearer, as a
// team's wrapper would supply it. STEP google-token sends what Google's auth library would.
const bearer = process.env.STEP === 'google-token' ? 'ya29.a0AfB_example-google-access-token' : process.env.GATEWAY_KEY;
const authClient = {
  projectId: null,
  getRequestHeaders: async () => new Headers({ authorization: `Bearer ${bearer}` }),
};
const client = new AnthropicVertex({
  baseURL: process.env.VERTEX_BASE_URL,
  region: 'us-east5',
  projectId: 'sluice-test-project',
  authClient,
  maxRetries: 0,
});
const model = process.env.MODEL;
const weather = {
  name: 'get_weather',
  description: 'Current weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

async function create() {
  const { data, response } = await client.messages
    .create({ model, max_tokens: 200, messages: [{ role: 'user', content: 'Say hello.' }] })
    .withResponse();
  return { requestId: response.headers.get('request-id'), cost: response.headers.get('x-sluice-cost-usd'), message: data };
}

async function stream() {
  const { data: events, response } = await client.messages
    .create({ model, max_tokens: 200, stream: true, messages: [{ role: 'user', content: 'Tell me a story.' }] })
    .withResponse();
  const names = [];
  for await (const event of events) {
    names.push(event.type);
  }
  return { requestId: response.headers.get('request-id'), names };
}

async function tools() {
  // The SDK's stream helper assembles the tool call from its input_json_delta pieces, as agents do.
  const first = await client.messages
    .stream({ model, max_tokens: 300, tools: [weather], messages: [{ role: 'user', content: 'Weather in Lisbon?' }] })
    .finalMessage();
  const call = first.content.find((b) => b.type === 'tool_use');
  const second = await client.messages.create({
    model,
    max_tokens: 200,
    tools: [weather],
    messages: [
      { role: 'user', content: 'Weather in Lisbon?' },
      { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'Sunny, 24 C' }] },
    ],
  });
  return { first, second };
}

async function count() {
  const result = await client.messages.countTokens({ model, messages: [{ role: 'user', content: 'How many tokens is this?' }] });
  return { result };
}

async function googleToken() {
  try {
    await client.messages.create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
    return { error: null };
  } catch (e) {
    return { error: { status: e.status, type: e.type, message: e.apiMessage ?? e.message } };
  }
}

const steps = { create, stream, tools, count, 'google-token': googleToken };
steps[process.env.STEP]()
  .then((out) => console.log(JSON.stringify(out)))
  .catch((e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  });
