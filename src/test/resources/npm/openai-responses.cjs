// Drives the official `openai` npm SDK's Responses API against the gateway and prints what it saw as one JSON object,
// for ResponsesNpmSdkTest to judge. Env: OPENAI_MODULE (path of the installed package), OPENAI_BASE_URL,
// OPENAI_API_KEY, MODEL, STEP (create | stream | tools | tool-result | reasoning | reasoning-result), and for
// tool-result and reasoning-result HISTORY (the first answer's output items) and CALL_ID.
const OpenAI = require(process.env.OPENAI_MODULE);

const client = new OpenAI({ baseURL: process.env.OPENAI_BASE_URL, apiKey: process.env.OPENAI_API_KEY, maxRetries: 0 });
const model = process.env.MODEL;
const weather = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};

async function create() {
  const { data, response } = await client.responses
    .create({ model, instructions: 'You are brief.', max_output_tokens: 200, input: 'Say hello.' })
    .withResponse();
  // output_text is the SDK's own sum of the output's text parts, not a field the gateway sends.
  return { requestId: response.headers.get('request-id'), response: data, outputText: data.output_text };
}

async function stream() {
  const { data: events, response } = await client.responses
    .create({ model, stream: true, input: 'Tell me a story.' })
    .withResponse();
  let text = '';
  const types = [];
  let final = null;
  for await (const event of events) {
    types.push(event.type);
    if (event.type === 'response.output_text.delta') {
      text += event.delta;
    }
    if (event.type === 'response.completed') {
      final = event.response;
    }
  }
  return { requestId: response.headers.get('request-id'), text, types, final };
}

async function tools() {
  // The SDK's stream helper assembles the answer, and the call's arguments from their deltas, as agents do.
  const runner = client.responses.stream({ model, tools: [weather], input: 'Weather in Lisbon?' });
  const deltas = [];
  runner.on('response.function_call_arguments.delta', (e) => deltas.push(e.delta));
  const final = await runner.finalResponse();
  return { output: final.output, deltas };
}

async function toolResult() {
  const history = JSON.parse(process.env.HISTORY);
  const data = await client.responses.create({
    model,
    tools: [weather],
    input: [
      { role: 'user', content: 'Weather in Lisbon?' },
      ...history,
      { type: 'function_call_output', call_id: process.env.CALL_ID, output: 'Sunny, 21C' },
    ],
  });
  return { response: data, outputText: data.output_text };
}

// Codex's reasoning settings: an effort, a summary, and the encrypted content to send back next turn.
const reasoningSettings = { reasoning: { effort: 'high', summary: 'auto' }, include: ['reasoning.encrypted_content'] };

async function reasoning() {
  const runner = client.responses.stream({ model, tools: [weather], input: 'Weather in Lisbon?', ...reasoningSettings });
  const summaryDeltas = [];
  const types = [];
  runner.on('event', (e) => types.push(e.type));
  runner.on('response.reasoning_summary_text.delta', (e) => summaryDeltas.push(e.delta));
  const final = await runner.finalResponse();
  return { output: final.output, summaryDeltas, types, usage: final.usage };
}

async function reasoningResult() {
  const history = JSON.parse(process.env.HISTORY);
  const data = await client.responses.create({
    model,
    tools: [weather],
    ...reasoningSettings,
    input: [
      { role: 'user', content: 'Weather in Lisbon?' },
      ...history,
      { type: 'function_call_output', call_id: process.env.CALL_ID, output: 'Sunny, 21C' },
    ],
  });
  return { response: data, outputText: data.output_text };
}

const steps = { create, stream, tools, 'tool-result': toolResult, reasoning, 'reasoning-result': reasoningResult };
steps[process.env.STEP]()
  .then((out) => process.stdout.write(JSON.stringify(out)))
  .catch((e) => {
    process.stdout.write(JSON.stringify({ error: { status: e.status ?? null, name: e.constructor.name, message: String(e.message) } }));
    process.exitCode = 1;
  });
