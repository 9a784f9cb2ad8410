package dev.taskgate.rest;

/** Every REST error body: {@code {"error": "<what is wrong>"}}. */
public record ErrorJson(String error) {
}
