package dev.sluice.route;

import dev.sluice.wire.Glob;
import java.util.regex.Pattern;

/** A model-name pattern where {@code *} matches any run of characters and everything else is literal. */
final class ModelGlob {
    private final String text;
    private final Pattern pattern;

    ModelGlob(String text) {
        this.text = text;
        this.pattern = Glob.of(text);
    }

    boolean matches(String model) {
        return model != null && pattern.matcher(model).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
