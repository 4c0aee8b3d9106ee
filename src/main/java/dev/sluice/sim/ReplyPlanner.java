package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what the simulated model says. In priority order:
 * <ol>
 *   <li>{@code x-sim-tool: NAME} forces a {@code tool_use} of NAME with an input built from its schema;
 *       {@code NAME;once} only while the newest user message holds no {@code tool_result}, so an agent loop (a CLI
 *       that runs the call and sends its output back) ends with a text answer instead of calling again forever;
 *       {@code NAME;upto=N} (N from 1 to 9) while the whole conversation holds fewer than N {@code tool_result}s, so
 *       a loop makes N calls, and only if every turn reaches the model with the whole conversation (threads);
 *       {@code NAME;say} (or {@code NAME;once;say}) puts a short text block before the call, as Claude often does;
 *   <li>a {@code tool_choice} that forces a tool: a {@code tool_use} of it, as the real API always answers;
 *   <li>{@code output_config.format} with a JSON schema: a JSON text fitting it, as native structured output answers;
 *   <li>newest user message holds a {@code tool_result}: text quoting the result's first line;
 *   <li>a tool named {@code Read} is defined and the newest user message names an absolute path:
 *       {@code tool_use} of Read with {@code {"file_path": path}};
 *   <li>otherwise filler text.
 * </ol>
 * Text replies are exactly {@code min(max_tokens, requested)} output tokens (a quote longer than that is
 * kept whole, capped by {@code max_tokens}); a thinking block, when requested, takes a quarter of them.
 */
final class ReplyPlanner {
    /** The suffix of a forced tool that is called once per user turn. */
    private static final String ONCE = ";once";
    /** The suffix of a forced tool whose call follows a few words of text. */
    private static final String SAY = ";say";
    /** A forced tool called while the conversation holds fewer results than the digit. */
    private static final java.util.regex.Pattern UPTO = java.util.regex.Pattern.compile("(.+);upto=([1-9])");
    /** What the model says before a call made with {@link #SAY}. */
    static final String PREAMBLE = "Let me check that.";

    private ReplyPlanner() {
    }

    /**
     * @param requestedTokens output size asked for by header or default
     * @param forcedTool      tool name from {@code x-sim-tool}, or null
     */
    static ReplyPlan plan(MessagesRequest request, int requestedTokens, String forcedTool) {
        int budget = Math.min(request.maxTokens(), requestedTokens);
        List<ReplyBlock> blocks = new ArrayList<>(2);
        int thinkingTokens = request.thinking() && budget >= 2 ? Math.max(1, budget / 4) : 0;
        if (thinkingTokens > 0) {
            blocks.add(new ReplyBlock.Thinking(FillerText.words(thinkingTokens, false, 7), Ids.signature()));
        }
        JsonNode userMessage = Conversation.newestUserMessage(request);
        JsonNode toolResult = userMessage == null ? null : Conversation.firstToolResult(userMessage);
        boolean say = forcedTool != null && forcedTool.endsWith(SAY);
        if (say) {
            forcedTool = forcedTool.substring(0, forcedTool.length() - SAY.length());
        }
        ReplyBlock.ToolUse toolUse = toolUse(request, forcedTool, userMessage, toolResult);
        if (toolUse != null) {
            if (say) {
                blocks.add(new ReplyBlock.Text(Tokenizer.pieces(PREAMBLE)));
            }
            blocks.add(toolUse);
            return new ReplyPlan(blocks, "tool_use");
        }
        int textBudget = budget - thinkingTokens;
        boolean capped = requestedTokens > request.maxTokens();
        List<String> pieces;
        if (toolResult != null) {
            String quote = toolResult.path("is_error").asBoolean(false)
                    ? "The tool failed: " + Conversation.firstLine(toolResult)
                    : "I read the file. It says: " + Conversation.firstLine(toolResult);
            pieces = new ArrayList<>(Tokenizer.pieces(quote));
            int cap = request.maxTokens() - thinkingTokens;
            if (pieces.size() > cap) {
                pieces = new ArrayList<>(pieces.subList(0, cap));
                capped = true;
            }
            pieces.addAll(FillerText.words(Math.max(0, textBudget - pieces.size()), true, 0));
        } else {
            pieces = FillerText.words(textBudget, false, 0);
        }
        if (request.outputSchema() != null) {
            pieces = Tokenizer.pieces(SchemaInput.forSchema(request.outputSchema()).toString());
            capped = false;
        }
        blocks.add(new ReplyBlock.Text(pieces));
        return new ReplyPlan(blocks, capped ? "max_tokens" : "end_turn");
    }

    private static ReplyBlock.ToolUse toolUse(MessagesRequest request, String forcedTool, JsonNode userMessage,
                                              JsonNode toolResult) {
        if (forcedTool == null) {
            forcedTool = request.chosenTool();
        }
        java.util.regex.Matcher upto = forcedTool == null ? null : UPTO.matcher(forcedTool);
        if (upto != null && upto.matches()) {
            forcedTool = Conversation.toolResults(request) < upto.group(2).charAt(0) - '0' ? upto.group(1) : null;
        }
        if (forcedTool != null && forcedTool.endsWith(ONCE)) {
            forcedTool = toolResult == null ? forcedTool.substring(0, forcedTool.length() - ONCE.length()) : null;
        }
        if (forcedTool != null) {
            JsonNode definition = Conversation.tool(request, forcedTool);
            return ReplyBlock.ToolUse.of(forcedTool,
                    SchemaInput.forSchema(definition == null ? null : definition.get("input_schema")));
        }
        if (userMessage == null || toolResult != null || Conversation.tool(request, "Read") == null) {
            return null;
        }
        String path = Conversation.absolutePath(userMessage);
        return path == null ? null : ReplyBlock.ToolUse.of("Read", SimJson.object().put("file_path", path));
    }
}
