package dev.sluice.guard;

import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.inject.ChatMarkers;
import dev.sluice.guard.inject.Concealment;
import dev.sluice.guard.inject.EncodedPayload;
import dev.sluice.guard.inject.HiddenUnicode;
import dev.sluice.guard.inject.OverridePhrases;
import dev.sluice.guard.inject.RolePlay;
import dev.sluice.guard.pii.PersonalData;
import dev.sluice.guard.secrets.AiProviderKeys;
import dev.sluice.guard.secrets.AwsKeys;
import dev.sluice.guard.secrets.AzureConnectionString;
import dev.sluice.guard.secrets.EncodedSecrets;
import dev.sluice.guard.secrets.BasicAuthCredentials;
import dev.sluice.guard.secrets.GcpServiceAccount;
import dev.sluice.guard.secrets.GenericAssignment;
import dev.sluice.guard.secrets.JsonWebToken;
import dev.sluice.guard.secrets.KubernetesSecretData;
import dev.sluice.guard.secrets.PemPrivateKey;
import dev.sluice.guard.secrets.SlackTokens;
import dev.sluice.guard.secrets.StripeKeys;
import dev.sluice.guard.secrets.UrlCredentials;
import dev.sluice.guard.secrets.VcsTokens;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The built-in detectors and the rules they report: the catalogue policies name rules from. */
public final class GuardRules {
    private static final List<Detector> SECRETS = List.of(new AwsKeys(), new GcpServiceAccount(), new AzureConnectionString(),
            new VcsTokens(), new SlackTokens(), new StripeKeys(), new AiProviderKeys(), new PemPrivateKey(), new JsonWebToken(),
            new UrlCredentials(), new BasicAuthCredentials(), new KubernetesSecretData(), new GenericAssignment());
    private static final List<Detector> DETECTORS = Stream.concat(SECRETS.stream(), Stream.of(new PersonalData(),
            new OverridePhrases(), new RolePlay(), new ChatMarkers(), new Concealment(), new HiddenUnicode(), new EncodedPayload(),
            new EncodedSecrets(SECRETS.stream().flatMap(d -> d.rules().stream()).toList()))).toList();
    private static final List<Rule> RULES = DETECTORS.stream().flatMap(d -> d.rules().stream()).distinct().toList();

    private GuardRules() {
    }

    public static List<Detector> detectors() {
        return DETECTORS;
    }

    public static List<Rule> builtIn() {
        return RULES;
    }

    /** The built-in rule called {@code name}, or null. */
    public static Rule named(String name) {
        return RULES.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    static String names(Category category) {
        return RULES.stream().filter(r -> r.category() == category).map(Rule::name).collect(Collectors.joining(", "));
    }
}
