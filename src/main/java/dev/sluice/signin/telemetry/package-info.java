/**
 * Client telemetry: Claude Code's OTLP/HTTP exports ({@code /v1/metrics|logs|traces}), answered
 * {@code 200} at once and relayed to the operator's collectors with the signed-in developer set on
 * every resource, bounded per collector (in-flight limit, deadline, circuit breaker).
 */
package dev.sluice.signin.telemetry;
