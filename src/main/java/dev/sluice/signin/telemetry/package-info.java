/**
 * Client telemetry ({@code POST /v1/metrics|logs|traces}, OTLP/HTTP protobuf or JSON) relayed to the
 * operator's collectors with the developer's resource attributes added; never an error to the client;
 * bounded in flight per collector, with a breaker per collector.
 */
package dev.sluice.signin.telemetry;
