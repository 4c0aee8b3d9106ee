package dev.sluice.provider.catalog;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One model an upstream serves.
 *
 * @param id            the name clients ask for (and {@code /v1/models} lists)
 * @param providerId    the name the upstream knows it by (Bedrock's id, Vertex's, an OpenAI model or deployment)
 * @param contextWindow context window in tokens, or 0 when the catalog does not know it
 */
public record CatalogEntry(String id, String providerId, int contextWindow) {
    private static final Pattern DATED = Pattern.compile("^(.+)-(\\d{8})$");
    /** Shown for models whose id carries no date. */
    static final String UNKNOWN_DATE = "1970-01-01T00:00:00Z";

    /** {@code Claude Sonnet 4.5} for {@code claude-sonnet-4-5-20250929}; other ids as they are. */
    public String displayName() {
        Matcher m = DATED.matcher(id);
        String base = m.matches() ? m.group(1) : id;
        if (!base.startsWith("claude-")) {
            return id;
        }
        StringBuilder out = new StringBuilder();
        boolean lastNumber = false;
        for (String part : base.split("-")) {
            if (part.isEmpty()) {
                continue;
            }
            boolean number = part.chars().allMatch(Character::isDigit);
            if (number && lastNumber) {
                out.append('.').append(part);
            } else {
                out.append(out.isEmpty() ? "" : " ").append(number ? part
                        : Character.toUpperCase(part.charAt(0)) + part.substring(1).toLowerCase(Locale.ROOT));
            }
            lastNumber = number;
        }
        return out.toString();
    }

    /** RFC 3339 from the id's date ({@code -20250929}), else {@link #UNKNOWN_DATE}. */
    public String createdAt() {
        Matcher m = DATED.matcher(id);
        if (!m.matches()) {
            return UNKNOWN_DATE;
        }
        try {
            return LocalDate.parse(m.group(2), DateTimeFormatter.BASIC_ISO_DATE) + "T00:00:00Z";
        } catch (DateTimeParseException e) {
            return UNKNOWN_DATE;
        }
    }
}
