/**
 * The translators' common parts: {@link dev.sluice.translate.UpstreamDecoder} (upstream wire to canonical events or
 * body, with a {@link dev.sluice.translate.UsageReport}), {@link dev.sluice.translate.ClientEncoder} (canonical to the
 * client's wire), Anthropic's pass-through pair, canonical events for decoders of other wires, cloud error wording,
 * and {@link dev.sluice.translate.ForeignThinking}: the mark on thinking blocks the gateway makes from another wire's
 * reasoning, and their removal from bodies bound for Claude, which would refuse them.
 */
package dev.sluice.translate;
