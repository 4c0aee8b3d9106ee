package dev.sluice.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * A configuration value Jackson could not bind, said in the operator's words: where it is and what was expected,
 * never the Java type it was to become ({@code java.math.BigDecimal}) or Jackson's own phrasing.
 */
public final class MappingErrors {
    private MappingErrors() {
    }

    /** Dotted path of the value, e.g. {@code budgets.list[2].usd}. */
    public static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.toString();
    }

    /** What was wrong with the value: the message of our own parser (durations, sizes), or what was expected. */
    public static String cause(JsonMappingException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof IllegalArgumentException && root.getMessage() != null) {
            return root.getMessage();
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            String given = e instanceof InvalidFormatException f && f.getValue() != null ? "'" + f.getValue() + "' " : "";
            return given + "(expected: " + expected(m.getTargetType()) + ")";
        }
        String msg = e.getOriginalMessage() == null ? "not a valid value" : e.getOriginalMessage();
        int cut = msg.indexOf(" (");
        msg = cut > 0 ? msg.substring(0, cut) : msg;
        return msg.replaceAll("`[a-z]+(\\.[a-zA-Z0-9_$]+)+`", "value");
    }

    private static String expected(Class<?> type) {
        if (type == BigDecimal.class || type == Double.class || type == double.class || type == Float.class
                || type == float.class) {
            return "a number";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == BigInteger.class || type == Short.class || type == short.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping";
        }
        if (type.isEnum()) {
            return "one of the documented names";
        }
        return "a value of another kind";
    }
}
