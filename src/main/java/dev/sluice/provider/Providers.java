package dev.sluice.provider;

import dev.sluice.config.UpstreamConfig;
import dev.sluice.provider.anthropic.AnthropicSettings;
import dev.sluice.provider.anthropic.AnthropicUpstream;
import dev.sluice.provider.bedrock.BedrockProtocol;
import dev.sluice.provider.bedrock.BedrockSettings;
import dev.sluice.provider.openai.OpenAiSettings;
import dev.sluice.provider.openai.OpenAiUpstreamProtocol;
import dev.sluice.provider.vertex.VertexProtocol;
import dev.sluice.provider.vertex.VertexSettings;
import dev.sluice.upstream.UpstreamProtocol;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The providers this gateway speaks, by the name an upstream gives in {@code provider:}: each one's wire
 * ({@link UpstreamProtocol}) and the compiler of its upstreams' settings ({@link ProviderSettings}).
 */
public final class Providers {
    /**
     * One provider.
     *
     * @param settings checks an upstream's provider-specific fields and compiles them; throws
     *                 IllegalArgumentException naming the field
     */
    public record Provider(UpstreamProtocol protocol, Function<UpstreamConfig, Object> settings) {
    }

    private static final Map<String, Provider> ALL = build();

    private Providers() {
    }

    private static Map<String, Provider> build() {
        Map<String, Provider> all = new LinkedHashMap<>();
        add(all, AnthropicUpstream.INSTANCE, AnthropicSettings::compile);
        add(all, AnthropicUpstream.FOUNDRY, AnthropicSettings::compile);
        add(all, BedrockProtocol.INSTANCE, BedrockSettings::compile);
        add(all, VertexProtocol.INSTANCE, VertexSettings::compile);
        add(all, OpenAiUpstreamProtocol.OPENAI, c -> OpenAiSettings.compile(c, OpenAiUpstreamProtocol.OPENAI.flavor()));
        add(all, OpenAiUpstreamProtocol.AZURE, c -> OpenAiSettings.compile(c, OpenAiUpstreamProtocol.AZURE.flavor()));
        add(all, OpenAiUpstreamProtocol.COMPATIBLE, c -> OpenAiSettings.compile(c, OpenAiUpstreamProtocol.COMPATIBLE.flavor()));
        return Collections.unmodifiableMap(all);
    }

    private static void add(Map<String, Provider> all, UpstreamProtocol protocol, Function<UpstreamConfig, Object> settings) {
        all.put(protocol.name(), new Provider(protocol, settings));
    }

    /** Every provider's wire, by name, for the attempt loop. */
    public static Map<String, UpstreamProtocol> protocols() {
        Map<String, UpstreamProtocol> out = new LinkedHashMap<>();
        ALL.forEach((name, p) -> out.put(name, p.protocol()));
        return Collections.unmodifiableMap(out);
    }

    public static Provider find(String name) {
        return name == null ? null : ALL.get(name);
    }

    public static Set<String> names() {
        return ALL.keySet();
    }
}
