package dev.taskgate.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.taskgate.error.DatabaseErrors;
import dev.taskgate.error.TaskgateException;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.sql.SQLException;
import java.util.stream.Collectors;

/** Turns every failure into a JSON {@code {"error": ...}} with the right status, never a stack trace. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response taskgate(TaskgateException e) {
        int status = switch (e.kind()) {
            case INVALID_ARGUMENT -> 400;
            case UNAUTHENTICATED -> 401;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNPROCESSABLE -> 422;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
        return error(status, e.getMessage());
    }

    /** Jackson's own exceptions; Quarkus' built-in mappers for them would echo internal details. */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class, InvalidFormatException.class})
    public Response invalidJson(JsonProcessingException e) {
        return error(400, describe(e));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return invalidJson(json);
        }
        int status = e.getResponse().getStatus();
        String message = switch (status) {
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable: responses are application/json";
            case 413 -> "Request body too large";
            case 415 -> "Unsupported content type: send application/json";
            default -> status < 500 ? "Bad request" : "Internal error";
        };
        return error(status, message);
    }

    @ServerExceptionMapper({PersistenceException.class, SQLException.class})
    public Response database(Exception e, Request request) {
        LOG.errorf("database error (%s)", DatabaseErrors.describe(e));
        return error(500, HttpMethod.GET.equals(request.getMethod())
                ? "Failed to get task status: database error"
                : "Failed to process request: database error");
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected error", e);
        return error(500, "Internal error");
    }

    private static String describe(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            if (mapping.getOriginalMessage() != null && mapping.getOriginalMessage().startsWith("Trailing token")) {
                return "Request body must be one JSON object, with nothing after it";
            }
            return field.isEmpty() ? "Request body must be a JSON object" : "Invalid value for field '" + field + "'"
                    + expected(mapping);
        }
        if (e instanceof InputCoercionException coercion && coercion.getProcessor() != null
                && coercion.getProcessor().getParsingContext().getCurrentName() != null) {
            return "Invalid value for field '" + coercion.getProcessor().getParsingContext().getCurrentName() + "'"
                    + (isWholeNumber(coercion.getTargetType()) ? ": expected a whole number" : "");
        }
        String problem = e.getOriginalMessage();
        if (problem != null && problem.startsWith("Duplicate field")) {
            return problem.replace('"', '\'') + ": give each field once";
        }
        JsonLocation at = e.getLocation();
        return at == null ? "Malformed JSON" : "Malformed JSON at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** What the field takes, when Jackson says which type it wanted. */
    private static String expected(JsonMappingException mapping) {
        Class<?> type = mapping instanceof MismatchedInputException mismatch ? mismatch.getTargetType()
                : mapping.getCause() instanceof InputCoercionException coercion ? coercion.getTargetType() : null;
        if (type == null) {
            return "";
        }
        if (isWholeNumber(type)) {
            return ": expected a whole number";
        }
        if (type == String.class) {
            return ": expected a text";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return ": expected a JSON object";
        }
        if (type == Boolean.class || type == boolean.class) {
            return ": expected true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return ": expected a JSON array";
        }
        return "";
    }

    private static boolean isWholeNumber(Class<?> type) {
        return type == Integer.class || type == int.class || type == Long.class || type == long.class;
    }

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorJson(message)).build();
    }
}
