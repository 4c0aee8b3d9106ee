package dev.sluice.route;

import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A model-name pattern where {@code *} matches any run of characters and everything else is literal. */
final class ModelGlob {
    private final String text;
    private final Pattern pattern;

    ModelGlob(String text) {
        this.text = text;
        this.pattern = Pattern.compile(Arrays.stream(text.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
    }

    boolean matches(String model) {
        return model != null && pattern.matcher(model).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
