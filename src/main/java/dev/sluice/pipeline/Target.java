package dev.sluice.pipeline;

/**
 * Where the route stage decided to send the request.
 *
 * @param upstream    name of the configured upstream
 * @param provider    its wire protocol ({@code anthropic})
 * @param servedModel the model name sent upstream (differs from the requested one after a rewrite)
 */
public record Target(String upstream, String provider, String servedModel) {
}
