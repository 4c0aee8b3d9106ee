package dev.sluice.budget.rules;

import java.util.List;

/**
 * Who a budget belongs to.
 *
 * @param contact whom a blocked developer should ask ("your platform team", "#payments-eng")
 * @param sinks   alert sink names this budget's alerts go to
 */
public record Owner(String contact, List<String> sinks) {
    public Owner {
        sinks = List.copyOf(sinks);
    }
}
