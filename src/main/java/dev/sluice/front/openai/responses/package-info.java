/**
 * The OpenAI Responses API ({@code POST /v1/responses}) on the OpenAI front door: the API the OpenAI SDKs
 * lead with and Codex CLI speaks, for every upstream behind the canonical form. {@link
 * dev.sluice.front.openai.responses.ResponsesProtocol} is its {@link dev.sluice.pipeline.ClientProtocol} and routes;
 * {@link dev.sluice.front.openai.responses.ResponsesRequest} turns a request into a canonical Anthropic body, after
 * {@link dev.sluice.front.openai.responses.RequestTree} has read it within the chat door's bounds (refusing a field
 * given twice at any depth) and {@link dev.sluice.front.openai.responses.ResponsesFields} has refused what it cannot
 * honour (stored state, built-in tools, structured output, unknown fields);
 * {@link dev.sluice.front.openai.responses.InputItems}, {@link dev.sluice.front.openai.responses.InputParts} and
 * {@link dev.sluice.front.openai.responses.ResponsesTools} read the conversation and the tools, and
 * {@link dev.sluice.front.openai.responses.CallPairs} pairs function calls with their outputs. The one state kept:
 * {@link dev.sluice.front.openai.responses.ItemStore} holds recent answers' output items per caller, in memory and
 * bounded ({@code responses.item-store}, live), and {@link dev.sluice.front.openai.responses.ItemReferences} reads a
 * request's {@code item_reference}s as those items before the translation, counting what they bring in against the
 * body limit with the body.
 * Reasoning: the effort becomes thinking ({@link dev.sluice.front.openai.ReasoningEffort}); each thinking block of an
 * answer is a {@code reasoning} item whose {@code encrypted_content} is the block sealed by
 * {@link dev.sluice.front.openai.responses.ReasoningSeal}, and {@link dev.sluice.front.openai.responses.ReasoningItems}
 * turns the items a client sends back into those blocks again (or drops them, and thinking with them in a tool loop).
 * {@link dev.sluice.front.openai.responses.ResponsesEncoder} writes canonical answers back as a {@code response}
 * object ({@link dev.sluice.front.openai.responses.WholeResponse}, {@link dev.sluice.front.openai.responses.ResponseObject})
 * or the API's event stream, echoing the request's settings ({@link dev.sluice.front.openai.responses.ResponseEcho});
 * errors use the chat door's {@link dev.sluice.front.openai.OpenAiErrorBody}.
 */
package dev.sluice.front.openai.responses;
