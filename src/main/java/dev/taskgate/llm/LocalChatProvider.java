package dev.taskgate.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in offline model: deterministic, needs no network or key, and says plainly that it
 * is the local model. It behaves like a tiny agent: with a {@code calculator} tool it calls it
 * for arithmetic, with a date/time tool it asks for the time, it plans sub-tasks when asked to
 * plan and synthesizes their results. Token counts are estimated at about four characters a token.
 * <p>
 * With simulation on ({@code taskgate.llm.local.simulation=true}) it honours
 * {@code context.simulate = {"delay_ms": N, "chunk_delay_ms": N, "error": "...",
 * "error_retryable": bool, "result": "..."}}: latency, slow generation (a pause before every
 * few words it streams), a failure or an exact answer on demand. It streams its text four words
 * at a time.
 * <p>
 * Its length is the small agent it plays (tool use, plans, synthesis) and the simulation switches,
 * kept together so the local model's behaviour can be read in one file.
 */
final class LocalChatProvider implements ChatProvider {

    static final String NAME = "local";
    static final String MODEL = "taskgate-local-1";
    static final String LABEL = "[Taskgate local model]";

    private static final long MAX_DELAY_MS = 600_000;
    private static final int WORDS_PER_CHUNK = 4;
    /** A word with the white space after it. */
    private static final Pattern WORD = Pattern.compile("\\S+\\s*");
    private static final Pattern ARITHMETIC = Pattern.compile(
            "[-(]*\\s*\\d+(?:\\.\\d+)?(?:\\s*\\)*\\s*(?:\\*\\*|[-+*/^%×÷])\\s*\\(*\\s*-?\\d+(?:\\.\\d+)?)+\\s*\\)*");
    private static final Pattern TIME_QUESTION = Pattern.compile(
            "\\b(time|date|today|day is it|what day)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern SPLIT = Pattern.compile("\\s*(?:;|,\\s*and\\s+|\\band\\b|,)\\s*");

    private final boolean simulation;

    LocalChatProvider(boolean simulation) {
        this.simulation = simulation;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String defaultModel() {
        return MODEL;
    }

    /** Room for the longest simulated delay and slow generation. */
    @Override
    public Duration callTimeout() {
        return Duration.ofMinutes(15);
    }

    @Override
    public boolean knowsModel(String model) {
        return MODEL.equals(model);
    }

    @Override
    public ChatResponse chat(ChatRequest request, Consumer<String> partials) {
        Map<?, ?> simulate = simulation && request.context().get("simulate") instanceof Map<?, ?> m ? m : Map.of();
        sleep(simulate.get("delay_ms"));
        if (simulate.get("error") instanceof String error && !error.isBlank()) {
            throw new ProviderException(error, Boolean.TRUE.equals(simulate.get("error_retryable")));
        }
        ChatResponse answer = simulate.get("result") instanceof String result
                ? text(request, result)
                : respond(request);
        long chunkDelay = simulate.get("chunk_delay_ms") instanceof Number n ? n.longValue() : 0;
        generate(answer.text(), chunkDelay, partials);
        return answer;
    }

    private ChatResponse respond(ChatRequest request) {
        String query = request.lastUserText().strip();
        return switch (request.purpose()) {
            case PLAN -> text(request, plan(query));
            case SUBTASK -> text(request, LABEL + " Notes on \"" + query + "\": this offline model can only outline it — "
                    + "name the key facts, check them against a source, and state the conclusion in one sentence.");
            case SYNTHESIS -> text(request, synthesis(request));
            case ANSWER -> answer(request, query);
        };
    }

    private ChatResponse answer(ChatRequest request, String query) {
        List<ChatMessage> messages = request.messages();
        ChatMessage last = messages.get(messages.size() - 1);
        if (last.role() == ChatMessage.Role.TOOL) {
            return text(request, afterTools(messages));
        }
        if (hasTool(request, "calculator")) {
            Matcher arithmetic = ARITHMETIC.matcher(query);
            if (arithmetic.find() && hasOperator(arithmetic.group())) {
                String expression = arithmetic.group().strip().replace('×', '*').replace('÷', '/');
                return toolCall(request, "calculator", "{\"expression\": \"" + expression + "\"}");
            }
        }
        if (hasTool(request, "current_datetime") && TIME_QUESTION.matcher(query).find()) {
            return toolCall(request, "current_datetime", "{}");
        }
        StringBuilder text = new StringBuilder(LABEL)
                .append(" This answer comes from the built-in offline model, not a real LLM. You asked: \"")
                .append(query).append("\".");
        List<String> earlier = earlierQuestions(messages);
        if (!earlier.isEmpty()) {
            text.append(" Earlier in this session you asked: \"").append(String.join("\", \"", earlier)).append("\".");
        }
        text.append(" Configure an OpenAI-compatible or Anthropic provider for real answers.");
        return text(request, text.toString());
    }

    /** The final answer once tools have run: what each tool returned. */
    private static String afterTools(List<ChatMessage> messages) {
        List<String> findings = new ArrayList<>();
        for (ChatMessage message : messages) {
            if (message.role() == ChatMessage.Role.TOOL) {
                String argument = argumentOf(messages, message.toolCallId());
                if (message.text().startsWith(ToolCall.REFUSED)) {
                    String subject = "calculator".equals(message.toolName()) && argument != null
                            ? "compute " + argument : "use " + message.toolName();
                    String feedback = message.text().substring(ToolCall.REFUSED.length()).strip();
                    findings.add("I could not " + subject + ": running " + message.toolName() + " was refused"
                            + (feedback.isEmpty() ? "" : ". " + feedback.replaceAll("[.]+$", "")));
                } else {
                    findings.add("calculator".equals(message.toolName()) && argument != null
                            ? argument + " = " + message.text()
                            : message.toolName() + " returned " + message.text());
                }
            }
        }
        return LABEL + " Using my tools: " + String.join("; ", findings) + ".";
    }

    private static String argumentOf(List<ChatMessage> messages, String toolCallId) {
        for (ChatMessage message : messages) {
            for (ToolCall call : message.toolCalls()) {
                if (call.id().equals(toolCallId)) {
                    Matcher expression = Pattern.compile("\"expression\"\\s*:\\s*\"([^\"]*)\"").matcher(call.arguments());
                    return expression.find() ? expression.group(1) : null;
                }
            }
        }
        return null;
    }

    private static String plan(String query) {
        String topic = query.replaceAll("[?.!]+$", "");
        List<String> parts = new ArrayList<>();
        for (String part : SPLIT.split(topic)) {
            if (part.strip().length() > 2) {
                parts.add(part.strip());
            }
        }
        List<String> subtasks = parts.size() >= 2
                ? parts.stream().map(part -> "Answer: " + part).toList()
                : List.of("Identify the key points of: " + topic,
                        "Gather the relevant facts about: " + topic,
                        "Outline a concise answer to: " + topic);
        StringBuilder json = new StringBuilder("{\"subtasks\": [");
        for (int i = 0; i < subtasks.size(); i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(subtasks.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return json.append("]}").toString();
    }

    private static String synthesis(ChatRequest request) {
        String results = request.lastUserText();
        long count = results.lines().filter(line -> line.startsWith("Sub-task ")).count();
        return LABEL + " Synthesis of " + count + " sub-tasks: the offline model worked through each part of the "
                + "question separately and combined the notes; configure a real provider for a substantive answer.";
    }

    private static List<String> earlierQuestions(List<ChatMessage> messages) {
        List<String> users = new ArrayList<>();
        for (ChatMessage message : messages) {
            if (message.role() == ChatMessage.Role.USER) {
                users.add(message.text().strip());
            }
        }
        return users.isEmpty() ? users : users.subList(0, users.size() - 1);
    }

    private static boolean hasTool(ChatRequest request, String name) {
        return request.tools().stream().anyMatch(tool -> tool.name().equals(name));
    }

    private static boolean hasOperator(String expression) {
        return expression.strip().substring(1).matches(".*(\\*\\*|[-+*/^%×÷]).*");
    }

    private static ChatResponse toolCall(ChatRequest request, String tool, String arguments) {
        long step = request.messages().stream().filter(m -> !m.toolCalls().isEmpty()).count() + 1;
        ToolCall call = new ToolCall("call_" + step, tool, arguments);
        return new ChatResponse("", List.of(call), MODEL, NAME, inputTokens(request), tokens(tool) + tokens(arguments));
    }

    private static ChatResponse text(ChatRequest request, String text) {
        return new ChatResponse(text, List.of(), MODEL, NAME, inputTokens(request), tokens(text));
    }

    private static long inputTokens(ChatRequest request) {
        long total = 0;
        for (ChatMessage message : request.messages()) {
            total += 4 + tokens(message.text());  // per-message overhead, as chat formats add role markers
            for (ToolCall call : message.toolCalls()) {
                total += tokens(call.name()) + tokens(call.arguments());
            }
        }
        for (ToolSpec tool : request.tools()) {
            total += tokens(tool.name()) + tokens(tool.description()) + 8 * tool.parameters().size();
        }
        return total;
    }

    /** About four characters per token, like common BPE tokenizers on English text. */
    static long tokens(String text) {
        return text == null || text.isEmpty() ? 0 : Math.max(1, (text.length() + 3) / 4);
    }

    /** Streams the text a few words at a time (each piece with its following spaces), waiting between pieces. */
    private static void generate(String text, long chunkDelayMs, Consumer<String> partials) {
        Matcher word = WORD.matcher(text);
        int start = 0;
        int words = 0;
        while (word.find()) {
            if (++words % WORDS_PER_CHUNK == 0 || word.end() == text.length()) {
                sleep(chunkDelayMs);
                partials.accept(text.substring(start, word.end()));
                start = word.end();
            }
        }
        if (start < text.length()) {
            sleep(chunkDelayMs);
            partials.accept(text.substring(start));
        }
    }

    private static void sleep(Object delayMs) {
        if (!(delayMs instanceof Number n) || n.longValue() <= 0) {
            return;
        }
        try {
            Thread.sleep(Math.min(n.longValue(), MAX_DELAY_MS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProviderException.unavailable("call interrupted");
        }
    }
}
