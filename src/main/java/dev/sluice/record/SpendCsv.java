package dev.sluice.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Chargeback CSV (RFC 4180 quoting, LF line ends): the group columns, request and token counts per kind, and
 * money in USD with nine decimals so the column sums to the ledger's exact nano-USD total.
 */
final class SpendCsv {

    static final String SUM_HEADER = "requests,input_tokens,output_tokens,cache_write_5m_tokens,cache_write_1h_tokens,"
            + "cache_read_tokens,web_search_requests,web_fetch_requests,cost_usd,provider_cache_savings_usd,"
            + "gateway_cache_savings_usd,estimated_requests,error_requests";

    private final Writer out;
    private final List<String> dims;

    SpendCsv(Writer out, List<String> dims) {
        this.out = out;
        this.dims = dims;
    }

    void header() throws IOException {
        for (String d : dims) {
            out.write(field(d));
            out.write(',');
        }
        out.write(SUM_HEADER);
        out.write('\n');
    }

    /** Throws UncheckedIOException so it can be used as a row callback. */
    void row(SpendRow r) {
        try {
            StringBuilder line = new StringBuilder(160);
            for (String d : dims) {
                line.append(field(r.group().get(d))).append(',');
            }
            line.append(r.requests()).append(',').append(r.inputTokens()).append(',').append(r.outputTokens())
                    .append(',').append(r.cacheWrite5mTokens()).append(',').append(r.cacheWrite1hTokens())
                    .append(',').append(r.cacheReadTokens()).append(',').append(r.webSearchRequests())
                    .append(',').append(r.webFetchRequests())
                    .append(',').append(r.costUsd().toPlainString())
                    .append(',').append(r.providerCacheSavingsUsd().toPlainString())
                    .append(',').append(r.gatewayCacheSavingsUsd().toPlainString())
                    .append(',').append(r.estimatedRequests()).append(',').append(r.errorRequests()).append('\n');
            out.write(line.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Quotes when needed, and defuses spreadsheet formulas: group values come from clients (tags, session ids),
     * and a cell starting with = + - @ would run as a formula when finance opens the file.
     */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }
}
