// Drives the official `@anthropic-ai/bedrock-sdk` npm package against the gateway's Bedrock door and prints what it saw
// as one JSON object, for BedrockNpmSdkTest to judge. Env: BEDROCK_MODULE (path of the installed package),
// ANTHROPIC_BEDROCK_BASE_URL, AWS_BEARER_TOKEN_BEDROCK (read by the SDK), MODEL, STEP (create | stream | tools | error).
const { AnthropicBedrock } = require(process.env.BEDROCK_MODULE);

const client = new AnthropicBedrock({ awsRegion: 'us-east-1', maxRetries: 0 });
const model = process.env.MODEL;

async function create() {
  const { data, response } = await client.messages
    .create({ model, max_tokens: 200, messages: [{ role: 'user', content: 'Say hello.' }] })
    .withResponse();
  return { requestId: response.headers.get('request-id'), cost: response.headers.get('x-sluice-cost-usd'), message: data };
}

async function stream() {
  const s = client.messages.stream(
    { model, max_tokens: 300, messages: [{ role: 'user', content: 'Tell me a story.' }] },
    { headers: { 'anthropic-beta': 'interleaved-thinking-2025-05-14' } });
  const types = [];
  s.on('streamEvent', (e) => types.push(e.type));
  const message = await s.finalMessage();
  const { response } = await s.withResponse();
  return { requestId: response.headers.get('request-id'), types, message };
}

async function tools() {
  const message = await client.messages.create({
    model,
    max_tokens: 300,
    stream: false,
    tools: [{ name: 'get_weather', description: 'Current weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
    tool_choice: { type: 'tool', name: 'get_weather' },
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
  }, { headers: { 'x-sim-tool': 'get_weather' } }); // the simulator's way to be asked for a call
  const call = message.content.find((b) => b.type === 'tool_use');
  const next = client.messages.stream({
    model,
    max_tokens: 300,
    tools: [{ name: 'get_weather', description: 'Current weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: message.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'sunny, 21 C' }] },
    ],
  });
  return { call, answer: await next.finalMessage() };
}

async function error() {
  try {
    await client.messages.create({ model, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'x-sim-fault': '429' } });
    return { error: null };
  } catch (e) {
    return { error: { status: e.status, name: e.constructor.name, message: e.message,
      type: e.headers && (e.headers.get ? e.headers.get('x-amzn-errortype') : e.headers['x-amzn-errortype']) } };
  }
}

const steps = { create, stream, tools, error };
steps[process.env.STEP]()
  .then((out) => { process.stdout.write(JSON.stringify(out)); })
  .catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
