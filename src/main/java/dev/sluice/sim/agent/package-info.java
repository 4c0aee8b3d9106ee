/**
 * A deterministic coding agent for the simulator ({@code sluice sim --script agent}): it plays small tool
 * loops (read a file, grep for a definition, count tests, summarize) against the workspace the request names,
 * the way a model drives Claude Code, so the real CLI runs real tools on real files. Its answers are a pure
 * function of the request's meaningful content, which makes "is this served answer wrong?" decidable: ask it
 * again for that exact request and compare.
 */
package dev.sluice.sim.agent;
