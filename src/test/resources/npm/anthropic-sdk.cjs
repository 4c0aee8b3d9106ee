// Drives the official TypeScript `@anthropic-ai/sdk` against the gateway's Anthropic door and prints what it saw as one
// JSON object, for AnthropicTsSdkTest to judge. Env: NPM_MODULES (the node_modules folder), BASE_URL (the gateway's
// root), API_KEY, MODEL, STEP (create | stream | tools | parse | count | abort | retry), MAX_RETRIES, HEADERS, and for
// tools STREAM and TEMPERATURE.
const path = require('node:path');
const mod = (name) => require(path.join(process.env.NPM_MODULES, name));
const Anthropic = mod('@anthropic-ai/sdk');
const { z } = mod('zod');
const { betaZodTool } = mod('@anthropic-ai/sdk/helpers/beta/zod');
const { zodOutputFormat } = mod('@anthropic-ai/sdk/helpers/zod');

const calls = [];
function head(headers) {
  return Object.fromEntries(Object.entries(headers || {}).filter(([k]) => k === 'request-id' || k.startsWith('x-sluice-')
    || k === 'retry-after' || k === 'retry-after-ms' || k === 'x-should-retry'));
}
// Every HTTP answer the SDK got (its own retries included): status and the headers the test judges.
const fetchSeen = async (url, init) => {
  const res = await fetch(url, init);
  calls.push({ status: res.status, headers: head(Object.fromEntries(res.headers.entries())) });
  return res;
};
const client = new Anthropic({
  baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, fetch: fetchSeen,
  maxRetries: Number(process.env.MAX_RETRIES || '0'), defaultHeaders: JSON.parse(process.env.HEADERS || '{}'),
});
const model = process.env.MODEL;

async function create() {
  const { data, response } = await client.messages
    .create({ model, max_tokens: 200, messages: [{ role: 'user', content: 'Say hello.' }] })
    .withResponse();
  return { message: data, requestId: response.headers.get('request-id') };
}

async function stream() {
  const s = client.messages.stream({ model, max_tokens: 300, messages: [{ role: 'user', content: 'Tell me a story.' }] });
  let deltas = 0;
  s.on('text', () => deltas++);
  const message = await s.finalMessage();
  return { message, deltas };
}

async function tools() {
  // The SDK's own agent loop: it runs each tool call and sends the result back until the model stops calling.
  const weather = betaZodTool({
    name: 'get_weather', description: 'Current weather in a city', inputSchema: z.object({ city: z.string() }),
    run: async ({ city }) => `Sunny, 21C in ${city}`,
  });
  // On this client the runner keeps a server-held thread: the first turn creates it, each later one sends only the new
  // messages with `thread: continue`. STREAM=1 streams each turn; TEMPERATURE sets one (0 makes a turn cacheable).
  const streamed = process.env.STREAM === '1';
  const runner = client.beta.messages.toolRunner({
    model, max_tokens: 300, max_iterations: 4, tools: [weather], messages: [{ role: 'user', content: 'Weather in Lisbon?' }],
    ...(process.env.TEMPERATURE ? { temperature: Number(process.env.TEMPERATURE) } : {}),
    ...(streamed ? { stream: true } : {}),
  });
  const messages = [];
  for await (const item of runner) {
    const message = streamed ? await item.finalMessage() : item;
    messages.push({ id: message.id, stop_reason: message.stop_reason, content: message.content, usage: message.usage });
  }
  return { messages };
}

async function parse() {
  const schema = z.object({ city: z.string(), temperature: z.number(), sunny: z.boolean() });
  const message = await client.messages.parse({
    model, max_tokens: 300, messages: [{ role: 'user', content: 'The weather in Lisbon as an object.' }],
    output_config: { format: zodOutputFormat(schema) },
  });
  return { parsed: message.parsed_output, content: message.content };
}

async function count() {
  const r = await client.messages.countTokens({ model, messages: [{ role: 'user', content: 'Say hello.' }] });
  return { count: r };
}

async function abort() {
  const s = client.messages.stream({ model, max_tokens: 4000, messages: [{ role: 'user', content: 'Tell me a long story.' }] });
  let deltas = 0;
  s.on('text', () => {
    if (++deltas === 3) {
      s.abort();
    }
  });
  let aborted = false;
  try {
    await s.finalMessage();
  } catch (e) {
    aborted = e.constructor.name === 'APIUserAbortError' || s.aborted;
  }
  return { deltas, aborted };
}

async function retry() {
  try {
    await client.messages.create({ model, max_tokens: 50, messages: [{ role: 'user', content: 'Say hello.' }] });
    return { ok: true };
  } catch (e) {
    return { ok: false, name: e.constructor.name, status: e.status ?? null, type: e.error?.error?.type ?? null,
      message: String(e.message).slice(0, 300) };
  }
}

const steps = { create, stream, tools, parse, count, abort, retry };
steps[process.env.STEP]()
  .then((out) => process.stdout.write(JSON.stringify({ ...out, calls })))
  .catch((e) => {
    process.stdout.write(JSON.stringify({ error: { name: e.constructor.name, status: e.status ?? null, message: String(e.message) }, calls }));
    process.exitCode = 1;
  });
