package dev.taskgate.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;

/**
 * The REST rendering of an API message: protobuf's JSON mapping with the proto field names, plus
 * the differences the API doc shows:
 * <ul>
 *   <li>64-bit integers are JSON numbers, not strings;</li>
 *   <li>timestamps are RFC 3339 in UTC in whole seconds ({@code 2025-10-22T10:30:00Z}), except an
 *       event's {@code timestamp}, which keeps its fraction;</li>
 *   <li>an absent object ({@code response}, {@code payload}) is {@code null}; other absent fields
 *       (optional ones, {@code usage}, {@code pause}) are left out, and so is a task's empty
 *       {@code require_approval}; other fields without presence are always written;</li>
 *   <li>whole numbers in objects ({@code google.protobuf.Struct}, stored as doubles) are written
 *       without a fraction ({@code 33}, not {@code 33.0}).</li>
 * </ul>
 */
public final class RestJson {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> FRACTIONAL_TIMESTAMPS = Set.of("taskgate.v1.TaskEvent.timestamp",
            "taskgate.v1.WebhookAttempt.attempted_at");
    private static final Set<String> OMITTED_WHEN_EMPTY = Set.of("taskgate.v1.Task.require_approval");
    private static final double EXACT_INTEGERS = 9_007_199_254_740_992d;

    private RestJson() {
    }

    public static byte[] bytes(Message message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            write(message, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String text(Message message) {
        return new String(bytes(message), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void write(Message message, JsonGenerator json) throws IOException {
        json.writeStartObject();
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (field.isRepeated() && message.getRepeatedFieldCount(field) == 0
                    && OMITTED_WHEN_EMPTY.contains(field.getFullName())) {
                continue;
            }
            if (field.isRepeated()) {
                json.writeArrayFieldStart(field.getName());
                for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
                    value(field, message.getRepeatedField(field, i), json);
                }
                json.writeEndArray();
            } else if (field.hasPresence() && !message.hasField(field)) {
                if (isStruct(field)) {
                    json.writeNullField(field.getName());
                }
            } else {
                json.writeFieldName(field.getName());
                value(field, message.getField(field), json);
            }
        }
        json.writeEndObject();
    }

    private static void value(FieldDescriptor field, Object value, JsonGenerator json) throws IOException {
        switch (field.getJavaType()) {
            case MESSAGE -> {
                if (value instanceof Timestamp timestamp) {
                    json.writeString(rfc3339(timestamp, FRACTIONAL_TIMESTAMPS.contains(field.getFullName())));
                } else if (value instanceof Struct struct) {
                    struct(struct, json);
                } else {
                    write((Message) value, json);
                }
            }
            case ENUM -> json.writeString(((com.google.protobuf.Descriptors.EnumValueDescriptor) value).getName());
            case INT, LONG -> json.writeNumber(((Number) value).longValue());
            case FLOAT, DOUBLE -> json.writeNumber(((Number) value).doubleValue());
            case BOOLEAN -> json.writeBoolean((Boolean) value);
            case STRING -> json.writeString((String) value);
            default -> json.writeString(String.valueOf(value));
        }
    }

    private static void struct(Struct struct, JsonGenerator json) throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
            json.writeFieldName(field.getKey());
            value(field.getValue(), json);
        }
        json.writeEndObject();
    }

    private static void value(Value value, JsonGenerator json) throws IOException {
        switch (value.getKindCase()) {
            case STRUCT_VALUE -> struct(value.getStructValue(), json);
            case LIST_VALUE -> list(value.getListValue(), json);
            case NUMBER_VALUE -> {
                double number = value.getNumberValue();
                if (number == Math.rint(number) && Math.abs(number) < EXACT_INTEGERS) {
                    json.writeNumber((long) number);
                } else {
                    json.writeNumber(number);
                }
            }
            case STRING_VALUE -> json.writeString(value.getStringValue());
            case BOOL_VALUE -> json.writeBoolean(value.getBoolValue());
            default -> json.writeNull();
        }
    }

    private static void list(ListValue list, JsonGenerator json) throws IOException {
        json.writeStartArray();
        for (Value item : list.getValuesList()) {
            value(item, json);
        }
        json.writeEndArray();
    }

    private static boolean isStruct(FieldDescriptor field) {
        return field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                && field.getMessageType().getFullName().equals(Struct.getDescriptor().getFullName());
    }

    private static String rfc3339(Timestamp timestamp, boolean fraction) {
        return DateTimeFormatter.ISO_INSTANT.format(
                Instant.ofEpochSecond(timestamp.getSeconds(), fraction ? timestamp.getNanos() : 0));
    }
}
