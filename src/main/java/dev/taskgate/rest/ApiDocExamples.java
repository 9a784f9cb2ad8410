package dev.taskgate.rest;

/** The API doc's own JSON examples, shown in the OpenAPI document. */
final class ApiDocExamples {

    private ApiDocExamples() {
    }

    static final String QUEUED = """
            {"task_id": "task_01HQZX3Y9K8M2P4N5S7T9W2V", "status": "TASK_STATUS_QUEUED", "response": null, "error": "",
             "created_at": "2025-10-22T10:30:00Z", "updated_at": "2025-10-22T10:30:00Z",
             "query": "What is the capital of France?", "session_id": "user-123-session", "mode": "EXECUTION_MODE_SIMPLE"}""";

    static final String RUNNING = """
            {"task_id": "task_01HQZX3Y9K8M2P4N5S7T9W2V", "status": "TASK_STATUS_RUNNING", "response": null, "error": "",
             "created_at": "2025-10-22T10:30:00Z", "updated_at": "2025-10-22T10:30:02Z",
             "query": "What is the capital of France?", "session_id": "user-123-session", "mode": "EXECUTION_MODE_SIMPLE"}""";

    static final String COMPLETED = """
            {"task_id": "task_01HQZX3Y9K8M2P4N5S7T9W2V", "status": "TASK_STATUS_COMPLETED",
             "result": "The capital of France is Paris. Paris has been the capital since 987 AD and is located in the north-central part of the country.",
             "response": {"result": "The capital of France is Paris. Paris has been the capital since 987 AD and is located in the north-central part of the country."},
             "error": "", "created_at": "2025-10-22T10:30:00Z", "updated_at": "2025-10-22T10:30:05Z",
             "query": "What is the capital of France?", "session_id": "user-123-session", "mode": "EXECUTION_MODE_SIMPLE",
             "model_used": "gpt-5-mini-2025-08-07", "provider": "openai",
             "usage": {"total_tokens": 300, "input_tokens": 200, "output_tokens": 100, "estimated_cost": 0.006}}""";

    static final String FAILED = """
            {"task_id": "task_01HQZX3Y9K8M2P4N5S7T9W2V", "status": "TASK_STATUS_FAILED", "response": null,
             "error": "LLM service unavailable: connection timeout",
             "created_at": "2025-10-22T10:30:00Z", "updated_at": "2025-10-22T10:30:10Z",
             "query": "What is the capital of France?", "session_id": "user-123-session", "mode": "EXECUTION_MODE_SIMPLE"}""";

    static final String UNAUTHORIZED = "{\"error\": \"Unauthorized\"}";
    static final String NOT_FOUND = "{\"error\": \"Task not found\"}";
    static final String SERVER_ERROR = "{\"error\": \"Failed to get task status: database error\"}";
}
