// Drives the Vercel AI SDK (`ai` with `@ai-sdk/anthropic` or `@ai-sdk/openai`) against the gateway and prints what it
// saw as one JSON object, for VercelAiSdkTest to judge. Env: NPM_MODULES (the node_modules folder), BASE_URL (the
// gateway's /v1), API_KEY, MODEL, DOOR (anthropic | openai-chat | openai-responses), STEP (text | stream | tools |
// object | cache | image | pdf | thinking | abort | broken | retry).
const path = require('node:path');
const mod = (name) => require(path.join(process.env.NPM_MODULES, name));
const ai = mod('ai');
const { z } = mod('zod');

const door = process.env.DOOR;
// Every HTTP answer the SDK got (its own retries included): status and the headers the test judges.
const calls = [];
const fetchSeen = async (url, init) => {
  const res = await fetch(url, init);
  calls.push({ status: res.status, headers: head(Object.fromEntries(res.headers.entries())) });
  return res;
};
const settings = { baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, fetch: fetchSeen };
const provider = door === 'anthropic'
  ? mod('@ai-sdk/anthropic').createAnthropic(settings)
  : mod('@ai-sdk/openai').createOpenAI(settings);
const model = door === 'openai-chat' ? provider.chat(process.env.MODEL) : provider(process.env.MODEL);
const maxRetries = Number(process.env.MAX_RETRIES || '0');
// Headers for the simulator behind the gateway (only the Anthropic door passes a client's headers on).
const headers = JSON.parse(process.env.HEADERS || '{}');

const weather = ai.tool({
  description: 'Current weather in a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => `Sunny, 21C in ${city}`,
});

// What the SDK read from the gateway's answer head: the request id and the gateway's own headers.
function head(headers) {
  return Object.fromEntries(Object.entries(headers || {}).filter(([k]) => k === 'request-id' || k.startsWith('x-sluice-')
    || k === 'retry-after' || k === 'retry-after-ms' || k === 'x-should-retry'));
}

async function text() {
  const r = await ai.generateText({ model, maxRetries, headers, maxOutputTokens: Number(process.env.MAX_OUTPUT || '200'), prompt: 'Say hello.' });
  return { text: r.text, finishReason: r.finishReason, usage: r.usage, headers: head(r.response.headers) };
}

async function stream() {
  const r = ai.streamText({ model, maxRetries, headers, maxOutputTokens: 300, prompt: 'Tell me a story.' });
  let deltas = 0;
  let text = '';
  for await (const piece of r.textStream) {
    deltas++;
    text += piece;
  }
  const response = await r.response;
  return { text, deltas, finishReason: await r.finishReason, usage: await r.totalUsage, headers: head(response.headers) };
}

async function tools() {
  // THINK=1 turns thinking on; STORE=false is @ai-sdk/openai's store option (Responses API), which sends earlier steps whole.
  const providerOptions = process.env.THINK === '1' ? structuredClone(thinkingOptions) : {};
  if (process.env.STORE === 'false') {
    providerOptions.openai = { ...providerOptions.openai, store: false };
  }
  // STREAM=1: the same loop with streamText, as chat UIs run it.
  const options = {
    model, maxRetries, headers, maxOutputTokens: process.env.THINK === '1' ? 2000 : 200, tools: { get_weather: weather },
    stopWhen: ai.stepCountIs(4), prompt: 'Weather in Lisbon?', providerOptions,
  };
  let r;
  if (process.env.STREAM === '1') {
    const s = ai.streamText(options);
    await s.consumeStream();
    r = { text: await s.text, steps: await s.steps, totalUsage: await s.totalUsage };
  } else {
    r = await ai.generateText(options);
  }
  return {
    text: r.text,
    steps: r.steps.map((s) => ({ reasoning: s.reasoningText ?? null, finishReason: s.finishReason, toolCalls: s.toolCalls.map((c) => ({ name: c.toolName, input: c.input })),
      toolResults: s.toolResults.map((t) => t.output), usage: s.usage, headers: head(s.response.headers) })),
    totalUsage: r.totalUsage,
  };
}

async function object() {
  const r = await ai.generateObject({
    model, maxRetries, headers, maxOutputTokens: 300,
    schema: z.object({ city: z.string(), temperature: z.number(), sunny: z.boolean() }),
    prompt: 'The weather in Lisbon as an object.',
  });
  return { object: r.object, finishReason: r.finishReason, usage: r.usage };
}

async function cache() {
  // A system prompt long enough to be cached, marked the way the SDK documents it.
  const long = Array.from({ length: 700 }, (_, i) => `Rule ${i}: answer politely and briefly.`).join('\n');
  const call = () => ai.generateText({
    model, maxRetries, headers, maxOutputTokens: 50,
    instructions: { role: 'system', content: long, providerOptions: { anthropic: { cacheControl: { type: 'ephemeral' } } } },
    prompt: 'Say hello.',
  });
  const first = await call();
  const second = await call();
  return { first: first.usage, second: second.usage, firstMeta: first.providerMetadata, secondMeta: second.providerMetadata };
}

async function image() {
  // A 1x1 PNG, sent as base64 bytes.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const r = await ai.generateText({
    model, maxRetries, headers, maxOutputTokens: 100,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'What is in this image?' }, { type: 'file', data: png, mediaType: 'image/png' }] }],
  });
  return { text: r.text, usage: r.usage, headers: head(r.response.headers) };
}

// Thinking as each provider asks for it; @ai-sdk/openai sends reasoning options only to models it knows reason,
// which forceReasoning declares (what a team pointing it at Claude through a gateway sets).
const thinkingOptions = door === 'anthropic'
  ? { anthropic: { thinking: { type: 'enabled', budgetTokens: 1024 } } }
  : { openai: { reasoningEffort: 'low', forceReasoning: true } };

async function pdf() {
  // A PDF as a file part (base64), as document Q&A agents send it.
  const doc = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  const r = await ai.generateText({
    model, maxRetries, headers, maxOutputTokens: 100,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise this file.' },
      { type: 'file', data: doc, mediaType: 'application/pdf', filename: 'notes.pdf' }] }],
  });
  return { text: r.text, usage: r.usage };
}

async function thinking() {
  const r = await ai.generateText({ model, maxRetries, headers, maxOutputTokens: 2000, prompt: 'Think, then say hello.',
    providerOptions: thinkingOptions });
  return { text: r.text, reasoningText: r.reasoningText ?? null, reasoning: r.reasoning, usage: r.usage };
}

async function abort() {
  // After the third text piece, or after ABORT_AFTER_MS (before the first byte, when the upstream is slow to start);
  // WHOLE=1 aborts a generateText call instead of a stream.
  const controller = new AbortController();
  const after = Number(process.env.ABORT_AFTER_MS || '0');
  if (after > 0) {
    setTimeout(() => controller.abort(), after);
  }
  const options = { model, maxRetries, headers, maxOutputTokens: 4000, prompt: 'Tell me a long story.', abortSignal: controller.signal };
  let deltas = 0;
  let aborted = false;
  try {
    if (process.env.WHOLE === '1') {
      await ai.generateText(options);
    } else {
      const r = ai.streamText(options);
      for await (const piece of r.textStream) {
        if (piece.length > 0 && ++deltas === 3 && after === 0) {
          controller.abort();
        }
      }
    }
  } catch (e) {
    aborted = controller.signal.aborted;
  }
  return { deltas, aborted: aborted || controller.signal.aborted };
}

async function broken() {
  // A stream the upstream breaks off after it started: the SDK must see an error, not a short answer that looks whole.
  const r = ai.streamText({ model, maxRetries, headers, maxOutputTokens: 300, prompt: 'Tell me a story.', onError: () => {} });
  const parts = [];
  let text = '';
  const errors = [];
  for await (const part of r.fullStream) {
    if (parts[parts.length - 1] !== part.type) {
      parts.push(part.type);
    }
    if (part.type === 'text-delta') {
      text += part.text;
    }
    if (part.type === 'error') {
      errors.push(String(part.error && (part.error.message || JSON.stringify(part.error))));
    }
  }
  return { parts, text, errors, finishReason: await r.finishReason.catch((e) => `rejected: ${e.message}`) };
}

async function retry() {
  try {
    await ai.generateText({ model, maxRetries, headers, maxOutputTokens: 50, prompt: 'Say hello.' });
    return { ok: true };
  } catch (e) {
    const errors = (e.errors || [e]).map((x) => ({ name: x.name, status: x.statusCode ?? null, retryable: x.isRetryable ?? null,
      headers: x.responseHeaders ? head(x.responseHeaders) : null, shouldRetry: x.responseHeaders ? x.responseHeaders['x-should-retry'] ?? null : null,
      message: String(x.message).slice(0, 300) }));
    return { ok: false, name: e.name, reason: e.reason ?? null, errors };
  }
}

const steps = { text, stream, tools, object, cache, image, pdf, thinking, abort, broken, retry };
steps[process.env.STEP]()
  .then((out) => process.stdout.write(JSON.stringify({ ...out, calls })))
  .catch((e) => {
    process.stdout.write(JSON.stringify({ error: { name: e.name, status: e.statusCode ?? null, message: String(e.message),
      body: e.responseBody ?? null, cause: e.cause ? String(e.cause.message || e.cause) : null }, calls }));
    process.exitCode = 1;
  });
