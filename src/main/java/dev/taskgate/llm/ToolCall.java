package dev.taskgate.llm;

/** A model's request to run a tool: the call id, the tool name and its arguments as a JSON object text. */
public record ToolCall(String id, String name, String arguments) {

    /** How the result of a call that a person refused begins. */
    public static final String REFUSED = "Not run: the person reviewing this task refused this tool call.";

    /** The result the model reads for a refused call, with the reviewer's feedback if any. */
    public static String refused(String feedback) {
        return feedback == null ? REFUSED : REFUSED + " Their feedback: " + feedback;
    }
}
