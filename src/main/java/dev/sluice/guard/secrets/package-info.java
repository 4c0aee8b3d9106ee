/**
 * Credential detectors: cloud keys (AWS pairs, GCP service-account files, Azure connection strings), VCS tokens
 * (GitHub with its checksum, GitLab), Slack, Stripe, OpenAI and Anthropic keys, PEM private keys, JWTs, passwords
 * in URLs, and random literals assigned to secret names. Each validates the bytes around its keyword and
 * refuses documentation examples and placeholders.
 */
package dev.sluice.guard.secrets;
