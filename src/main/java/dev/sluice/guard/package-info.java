/**
 * Guardrails on the request path: secrets, personal data and prompt injection found in a Messages body, in
 * time linear in its size, with no false alarm on the ordinary code a coding agent reads all day.
 *
 * <h2>What a stage calls</h2>
 * <pre>{@code
 * GuardScanner scanner = new GuardScanner();                        // one per gateway, thread-safe
 * GuardScan scan = scanner.scan(body.array(), body.length(), policy);  // or IncrementalGuard.scan(...) per turn
 * for (Finding f : scan.findings()) { f.rule(); f.severity(); f.location().describe(); }  // never the secret
 * redactor.redact(body, scan.findings());                           // RequestBody edits, stable placeholders
 * }</pre>
 *
 * <h2>How a scan works</h2>
 * <ol>
 *   <li>{@code engine.BodyWalker} walks the JSON once without building a tree, follows the Messages structure
 *       (message, block, field, who wrote it) and copies every content string, its escapes decoded, into one
 *       buffer, eight bytes at a time. Opaque values (image and PDF data, signatures, media types) are skipped; ids are read.</li>
 *   <li>{@code engine.Prefilter} runs one Aho-Corasick automaton ({@code engine.KeywordAutomaton}) holding every
 *       rule's keywords over that buffer: one table load per byte, no backtracking. With 64-byte SIMD registers it
 *       runs only from where a keyword may start ({@code engine.KeywordStarts}: a register-at-a-time search on the
 *       keywords' first four bytes and their pairs, then, for starts of long keywords only, their first eight), with the
 *       same hits; elsewhere over every byte, in interleaved chains.</li>
 *   <li>Detectors ({@code secrets}, {@code pii}, {@code inject}, {@code custom}) look only at the bytes around
 *       each hit and report what they can prove: checksums (GitHub CRC32, Luhn, IBAN mod-97), decoding (JWT
 *       headers, base64 payloads, Unicode tag text), entropy, placeholder and documented-example lists. Each
 *       says how far it looked, so a flood of keywords still costs linear time. Operator rules run on RE2J.</li>
 *   <li>A string holding a character that disguises a secret without changing how it reads (zero-width characters,
 *       a soft hyphen, a byte-order mark, fullwidth letters and digits: {@code detect.Disguises}, found by one SIMD pass,
 *       {@code engine.DisguiseSearch}) is read once more without them ({@code detect.Undisguise}): by every detector,
 *       the injection ones only when the string as written scored none; its findings map back to the body through the
 *       same escape tables, disguises included. Answers are read again, for credentials and personal data, in windows
 *       around each such character. The same second reading folds a Cyrillic or Greek look-alike written next to a
 *       token's letters ({@code detect.Confusables}: {@code ghр_}, {@code АKIA}) and, in windows around the percent escapes
 *       of a credential's characters (keywords of the automaton: {@code %5F}, {@code %2D}, {@code %40}, ...), decodes them.</li>
 *   <li>Encodings a reader undoes: {@code secrets.EncodedSecrets} decodes the base64 run around an encoded credential
 *       word ({@code TOKEN}, {@code password}, {@code _KEY=}, ...: exact keywords of its stable characters) and the
 *       engine decodes a text file sent as base64 (a document of a text media type); the other detectors read the
 *       decoded bytes (one level of base64, its percent escapes read decoded too, 1 MB per body) and a credential there
 *       is reported over the encoded run. {@code engine.Seams} reads the end and the start of adjacent text blocks
 *       joined (providers join them), and a token found across the seam is reported as one finding per block. A
 *       streamed answer gets the same readings, each in bounded windows as its text arrives.</li>
 *   <li>Findings carry the raw byte range in the original body (escapes included), so a redaction replaces
 *       exactly the secret's bytes, and redactable findings never overlap (the more specific rule wins). Inside a
 *       tool call's id the whole id is replaced by an id-shaped HMAC of it ({@code ToolIds}), so
 *       the upstream still takes it and the tool_result still names its tool_use.</li>
 * </ol>
 * Injection signals are scored per string (noisy OR, weighted by who wrote the text: a tool result or a fetched
 * page counts fully, the developer's own message half) and reported past the policy's threshold.
 *
 * <p>{@link dev.sluice.guard.IncrementalGuard} keeps what earlier turns of a conversation found, keyed by the
 * digest of the exact bytes before a message boundary, so a turn reads only what is new. The response side is
 * {@link dev.sluice.guard.answer.AnswerGuard}; the external policy service is {@link dev.sluice.guard.webhook.PolicyWebhook}.
 */
package dev.sluice.guard;
