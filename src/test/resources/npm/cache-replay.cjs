// Drives the official TypeScript `@anthropic-ai/sdk` through a response-cache miss and its replays (a whole answer,
// the SDK's stream helper and a raw event stream) and prints what it saw as one JSON object, for CacheReplaySdkTest.
// Env: NPM_MODULES, BASE_URL, API_KEY, MODEL, PROMPT, FIRST (whole | stream: the form of the miss), TOOLS (JSON
// array of tools or empty), HEADERS (JSON object of extra headers).
const path = require('node:path');
const Anthropic = require(path.join(process.env.NPM_MODULES, '@anthropic-ai/sdk'));

const client = new Anthropic({
  baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0,
  defaultHeaders: JSON.parse(process.env.HEADERS || '{}'),
});
const params = { model: process.env.MODEL, max_tokens: 300, messages: [{ role: 'user', content: process.env.PROMPT }] };
if (process.env.TOOLS) {
  params.tools = JSON.parse(process.env.TOOLS);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function whole() {
  const { data, response } = await client.messages.create(params).withResponse();
  return { form: 'whole', cache: response.headers.get('x-sluice-cache'), message: data };
}

async function helper() {
  const s = client.messages.stream(params);
  const types = [];
  s.on('streamEvent', (e) => types.push(e.type));
  const message = await s.finalMessage();
  const response = (await s.withResponse()).response;
  return { form: 'stream', cache: response.headers.get('x-sluice-cache'), message, types };
}

async function raw() {
  const { data: events, response } = await client.messages.create({ ...params, stream: true }).withResponse();
  const types = [];
  let id = null;
  let usage = null;
  for await (const e of events) {
    types.push(e.type);
    if (e.type === 'message_start') {
      id = e.message.id;
    }
    if (e.type === 'message_delta') {
      usage = e.usage;
    }
  }
  return { form: 'raw', cache: response.headers.get('x-sluice-cache'), id, usage, types };
}

(async () => {
  const out = [];
  out.push(process.env.FIRST === 'stream' ? await helper() : await whole());
  await sleep(500); // the miss's answer is stored after it was sent
  out.push(await whole());
  out.push(await helper());
  out.push(await raw());
  out.push(await helper());
  process.stdout.write(JSON.stringify({ calls: out }));
})().catch((e) => {
  process.stdout.write(JSON.stringify({ error: String(e && e.stack || e) }));
  process.exit(1);
});
