// Drives LangChain JS (`@langchain/anthropic` or `@langchain/openai`) against the gateway and prints what it saw as one
// JSON object, for LangChainTest to judge. Env: NPM_MODULES (the node_modules folder), BASE_URL (the gateway's root for
// the Anthropic door, its /v1 for the OpenAI one), API_KEY, MODEL, DOOR (anthropic | openai-chat | openai-responses),
// STEP (invoke | stream | tools | structured | cache | image | thinking | abort | broken | retry), MAX_RETRIES, HEADERS,
// METHOD (withStructuredOutput's).
const path = require('node:path');
const mod = (name) => require(path.join(process.env.NPM_MODULES, name));
const { z } = mod('zod');
const { HumanMessage, SystemMessage, ToolMessage } = mod('@langchain/core/messages');
const { tool } = mod('@langchain/core/tools');

const door = process.env.DOOR;
const calls = [];
function head(headers) {
  return Object.fromEntries(Object.entries(headers || {}).filter(([k]) => k === 'request-id' || k.startsWith('x-sluice-')
    || k === 'retry-after' || k === 'retry-after-ms' || k === 'x-should-retry'));
}
// Every HTTP answer the client got (its own retries included): status and the headers the test judges.
const fetchSeen = async (url, init) => {
  const res = await fetch(url, init);
  calls.push({ status: res.status, headers: head(Object.fromEntries(res.headers.entries())) });
  return res;
};
const headers = JSON.parse(process.env.HEADERS || '{}');
const maxRetries = Number(process.env.MAX_RETRIES || '0');

function chat(extra = {}) {
  if (door === 'anthropic') {
    const { ChatAnthropic } = mod('@langchain/anthropic');
    return new ChatAnthropic({
      model: process.env.MODEL, apiKey: process.env.API_KEY, anthropicApiUrl: process.env.BASE_URL, maxRetries,
      maxTokens: 300, clientOptions: { fetch: fetchSeen, defaultHeaders: headers }, ...extra,
    });
  }
  const { ChatOpenAI } = mod('@langchain/openai');
  return new ChatOpenAI({
    model: process.env.MODEL, apiKey: process.env.API_KEY, maxRetries, maxTokens: 300,
    useResponsesApi: door === 'openai-responses',
    configuration: { baseURL: process.env.BASE_URL, fetch: fetchSeen, defaultHeaders: headers }, ...extra,
  });
}

const weather = tool(async ({ city }) => `Sunny, 21C in ${city}`, {
  name: 'get_weather', description: 'Current weather in a city', schema: z.object({ city: z.string() }),
});

const textOf = (m) => (typeof m.content === 'string' ? m.content
  : m.content.filter((p) => p.type === 'text').map((p) => p.text).join(''));

async function invoke() {
  const m = await chat().invoke('Say hello.');
  return { text: textOf(m), usage: m.usage_metadata, meta: m.response_metadata };
}

async function stream() {
  let chunks = 0;
  let full;
  for await (const c of await chat({ streamUsage: true }).stream('Tell me a story.')) {
    chunks++;
    full = full === undefined ? c : full.concat(c);
  }
  return { text: textOf(full), chunks, usage: full.usage_metadata };
}

async function tools() {
  // The agent loop as LangChain documents it: bindTools, run each call, send ToolMessages back, until no call is left.
  const model = chat().bindTools([weather]);
  const messages = [new HumanMessage('Weather in Lisbon?')];
  const turns = [];
  for (let i = 0; i < 4; i++) {
    const ai = await model.invoke(messages);
    messages.push(ai);
    turns.push({ toolCalls: ai.tool_calls.map((c) => ({ name: c.name, args: c.args })), text: textOf(ai), usage: ai.usage_metadata });
    if (ai.tool_calls.length === 0) {
      break;
    }
    for (const c of ai.tool_calls) {
      messages.push(await weather.invoke(c));
    }
  }
  return { turns };
}

async function structured() {
  const schema = z.object({ city: z.string(), temperature: z.number(), sunny: z.boolean() });
  const method = process.env.METHOD || undefined;
  const r = await chat().withStructuredOutput(schema, { name: 'weather', includeRaw: true, ...(method ? { method } : {}) })
    .invoke('The weather in Lisbon as an object.');
  return { parsed: r.parsed, toolCalls: r.raw.tool_calls, text: textOf(r.raw) };
}

async function cache() {
  const long = Array.from({ length: 700 }, (_, i) => `Rule ${i}: answer politely and briefly.`).join('\n');
  const system = new SystemMessage({ content: [{ type: 'text', text: long, cache_control: { type: 'ephemeral' } }] });
  const model = chat();
  const first = await model.invoke([system, new HumanMessage('Say hello.')]);
  const second = await model.invoke([system, new HumanMessage('Say hello.')]);
  return { first: first.usage_metadata, second: second.usage_metadata };
}

async function image() {
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
  const m = await chat().invoke([new HumanMessage({ content: [
    { type: 'text', text: 'What is in this image?' },
    { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
  ] })]);
  return { text: textOf(m), usage: m.usage_metadata };
}

async function thinking() {
  const extra = door === 'anthropic'
    ? { maxTokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 } }
    : { maxTokens: 2000, reasoning: { effort: 'low' } };
  const m = await chat(extra).invoke('Think, then say hello.');
  const blocks = Array.isArray(m.content) ? m.content.map((p) => p.type) : ['string'];
  return { text: textOf(m), blocks, usage: m.usage_metadata, reasoning: m.additional_kwargs.reasoning_content ?? m.additional_kwargs.reasoning ?? null };
}

async function abort() {
  const controller = new AbortController();
  let chunks = 0;
  let aborted = false;
  try {
    for await (const c of await chat({ maxTokens: 4000 }).stream('Tell me a long story.', { signal: controller.signal })) {
      if (textOf(c).length > 0 && ++chunks === 3) {
        controller.abort();
      }
    }
  } catch (e) {
    aborted = controller.signal.aborted;
  }
  return { chunks, aborted };
}

async function broken() {
  // A stream the upstream breaks off after it started: the caller must get an error, not a short answer that looks whole.
  let text = '';
  try {
    for await (const c of await chat().stream('Tell me a story.')) {
      text += textOf(c);
    }
    return { text, error: null };
  } catch (e) {
    return { text, error: { name: e.name, message: String(e.message).slice(0, 300) } };
  }
}

async function retry() {
  try {
    await chat().invoke('Say hello.');
    return { ok: true };
  } catch (e) {
    return { ok: false, name: e.name, status: e.status ?? null, message: String(e.message).slice(0, 300) };
  }
}

const steps = { invoke, stream, tools, structured, cache, image, thinking, abort, broken, retry };
steps[process.env.STEP]()
  .then((out) => process.stdout.write(JSON.stringify({ ...out, calls })))
  .catch((e) => {
    process.stdout.write(JSON.stringify({ error: { name: e.name, status: e.status ?? null, message: String(e.message) }, calls }));
    process.exitCode = 1;
  });
