/**
 * Prompt-injection signals: instruction-override phrasing, role-play jailbreaks, chat-template markers,
 * concealment wording, hidden Unicode (tag characters, zero-width runs, bidirectional overrides) and base64
 * payloads that decode to any of these. Each signal has a weight; the engine scores each string.
 */
package dev.sluice.guard.inject;
