// Drives the AWS SDK's own Bedrock runtime client (@aws-sdk/client-bedrock-runtime, a dependency of the Bedrock SDK)
// against the gateway's Bedrock door with the gateway key as its bearer token, and prints what it saw as one JSON
// object. Env: AWS_MODULE (path of the installed package), BASE_URL ({gateway}/bedrock), AWS_BEARER_TOKEN_BEDROCK,
// MODEL, STEP (invoke | stream | count | throttled | stream-error | bad-key).
const rt = require(process.env.AWS_MODULE);
// HTTP/1.1: the client's default handler speaks HTTP/2, which over cleartext needs h2c, which the gateway does not serve.
const { NodeHttpHandler } = require(require.resolve('@smithy/node-http-handler', { paths: [process.env.AWS_MODULE] }));

const client = new rt.BedrockRuntimeClient({
  region: 'us-east-1',
  endpoint: process.env.BASE_URL,
  token: { token: process.env.AWS_BEARER_TOKEN_BEDROCK },
  authSchemePreference: ['httpBearerAuth'],
  maxAttempts: 1,
  requestHandler: new NodeHttpHandler(),
});
const model = process.env.MODEL;
const body = (extra) => JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 40,
  messages: [{ role: 'user', content: 'hello' }], ...extra });
const headers = (h) => (next) => async (args) => { Object.assign(args.request.headers, h); return next(args); };

function failure(e) {
  return { error: { name: e.name, status: e.$metadata && e.$metadata.httpStatusCode, message: e.message,
    requestId: e.$metadata && e.$metadata.requestId, fault: e.$fault } };
}

async function invoke() {
  const r = await client.send(new rt.InvokeModelCommand({ modelId: model, contentType: 'application/json', body: body() }));
  return { message: JSON.parse(Buffer.from(r.body).toString('utf8')), requestId: r.$metadata.requestId };
}

async function stream(extraHeaders) {
  if (extraHeaders) {
    client.middlewareStack.add(headers(extraHeaders), { step: 'build', name: 'simFault' });
  }
  const r = await client.send(new rt.InvokeModelWithResponseStreamCommand({ modelId: model, contentType: 'application/json', body: body() }));
  const types = [];
  try {
    for await (const ev of r.body) {
      if (ev.chunk) {
        types.push(JSON.parse(Buffer.from(ev.chunk.bytes).toString('utf8')).type);
      } else {
        types.push(Object.keys(ev)[0]);
      }
    }
  } catch (e) {
    return { types, ...failure(e) };
  }
  return { types };
}

async function count() {
  const r = await client.send(new rt.CountTokensCommand({ modelId: model,
    input: { invokeModel: { body: new TextEncoder().encode(body()) } } }));
  return { inputTokens: r.inputTokens };
}

async function throttled() {
  client.middlewareStack.add(headers({ 'x-sim-fault': '429' }), { step: 'build', name: 'simFault' });
  try {
    await client.send(new rt.InvokeModelCommand({ modelId: model, contentType: 'application/json', body: body() }));
    return { error: null };
  } catch (e) {
    return failure(e);
  }
}

async function badKey() {
  const bad = new rt.BedrockRuntimeClient({ region: 'us-east-1', endpoint: process.env.BASE_URL,
    token: { token: 'sk-not-a-key' }, authSchemePreference: ['httpBearerAuth'], maxAttempts: 1,
    requestHandler: new NodeHttpHandler() });
  try {
    await bad.send(new rt.InvokeModelCommand({ modelId: model, contentType: 'application/json', body: body() }));
    return { error: null };
  } catch (e) {
    return failure(e);
  }
}

const steps = { invoke, stream: () => stream(), count, throttled, 'stream-error': () => stream({ 'x-sim-fault': 'error-event:3' }),
  'bad-key': badKey };
steps[process.env.STEP]()
  .then((out) => { process.stdout.write(JSON.stringify(out)); })
  .catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
