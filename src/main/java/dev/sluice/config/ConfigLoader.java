package dev.sluice.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads {@code sluice.yaml}: environment substitution, binding to records, then {@link ConfigValidator}. */
public final class ConfigLoader {
    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    public static ConfigLoader fromEnvironment() {
        return new ConfigLoader(System.getenv());
    }

    /** Loads the file, or the defaults when {@code file} is null. */
    public SluiceConfig load(Path file) {
        if (file == null) {
            return ConfigValidator.validate("defaults", SluiceConfig.defaults());
        }
        return parse(file.toString(), ConfigFiles.read(file));
    }

    /**
     * Loads only the named top-level sections of the file (the rest take their defaults), for the offline
     * commands that need the store and telemetry but none of the gateway's secrets: an unset {@code ${VAR}}
     * elsewhere in the file is never looked at. Null {@code file}: the defaults.
     */
    public SluiceConfig loadSections(Path file, java.util.Set<String> keep) {
        if (file == null) {
            return load(null);
        }
        return parse(file.toString(), ConfigFiles.read(file), keep);
    }

    /** Parses YAML text; {@code origin} names it in error messages. */
    public SluiceConfig parse(String origin, String yaml) {
        return parse(origin, yaml, null);
    }

    private SluiceConfig parse(String origin, String yaml, java.util.Set<String> keep) {
        YamlChecks.refuse(origin, yaml, MAPPER);
        try {
            JsonNode tree = MAPPER.readTree(yaml);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return ConfigValidator.validate(origin, SluiceConfig.defaults());
            }
            if (!tree.isObject()) {
                throw new ConfigException(origin + ": expected a mapping of sections (server:, upstreams:, ...) at the top");
            }
            if (keep != null) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) tree).retain(keep);
            }
            EnvSubstitution.apply(origin, tree, env);
            return ConfigValidator.validate(origin, MAPPER.treeToValue(tree, SluiceConfig.class));
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new ConfigException(origin + ": unknown key '" + MappingErrors.path(e) + "' (expected one of: " + known + ")");
        } catch (JsonMappingException e) {
            throw new ConfigException(origin + ": key '" + MappingErrors.path(e) + "': " + MappingErrors.cause(e));
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr(); // a limit's has none
            throw new ConfigException(origin + ": not valid YAML" + at + ": " + e.getOriginalMessage());
        }
    }

    /** The top-level section names of {@code yaml}, in order; empty when it is not a mapping or does not parse. */
    public static java.util.List<String> sections(String yaml) {
        try {
            JsonNode tree = MAPPER.readTree(yaml);
            java.util.List<String> out = new java.util.ArrayList<>();
            if (tree != null && tree.isObject()) {
                tree.fieldNames().forEachRemaining(out::add);
            }
            return out;
        } catch (JsonProcessingException e) {
            return java.util.List.of();
        }
    }

    /** The top-level sections of {@code yaml} written with nothing under them ({@code guard:} alone). */
    static java.util.List<String> emptySections(String yaml) {
        try {
            JsonNode tree = MAPPER.readTree(yaml);
            java.util.List<String> out = new java.util.ArrayList<>();
            if (tree != null && tree.isObject()) {
                tree.properties().forEach(e -> {
                    if (e.getValue().isNull() || e.getValue().isMissingNode()) {
                        out.add(e.getKey());
                    }
                });
            }
            return out;
        } catch (JsonProcessingException e) {
            return java.util.List.of();
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule()
                    .addDeserializer(Duration.class, new DurationDeserializer())
                    .addDeserializer(Size.class, new SizeDeserializer()));

    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return Durations.parse(p.getValueAsString());
        }
    }

    private static final class SizeDeserializer extends JsonDeserializer<Size> {
        @Override
        public Size deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return Size.parse(p.getValueAsString());
        }
    }
}
