package dev.hungarian4j.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.hungarian4j.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A thin layer over Jackson's streaming {@link JsonParser} for the input reader: every syntax error, duplicate
 * key or I/O failure becomes an {@link InvalidInputException} naming the input path where it happened
 * (e.g. {@code pred_logits[1][3][2]}), so bad input never surfaces as a Jackson exception or a stack trace.
 * Duplicate keys are rejected at every level ({@link StreamReadFeature#STRICT_DUPLICATE_DETECTION}); NaN and
 * Infinity tokens are not JSON and are rejected by the parser.
 */
final class JsonSource implements AutoCloseable {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final JsonParser parser;

    /** @param in the JSON text; not closed by {@link #close()} */
    JsonSource(InputStream in) {
        try {
            this.parser = FACTORY.createParser(in);
        } catch (IOException e) {
            throw readFailure(e); // a read failure, not bad JSON: InputOption names the source
        }
    }

    /** Advances to the next token; null at the end of the input. */
    JsonToken next() {
        try {
            return parser.nextToken();
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw readFailure(e); // a read failure, not bad JSON: InputOption names the source
        }
    }

    /** The current token. */
    JsonToken current() {
        return parser.currentToken();
    }

    /** The current field name (after a {@link JsonToken#FIELD_NAME}). */
    String name() {
        try {
            return parser.currentName();
        } catch (IOException e) {
            throw syntaxError(e);
        }
    }

    /** The current token's text, e.g. the digits of a number as written. */
    String text() {
        try {
            return parser.getText();
        } catch (IOException e) {
            throw syntaxError(e);
        }
    }

    /** The current number as a float (infinite when it overflows float32). */
    float floatValue() {
        try {
            return parser.getFloatValue();
        } catch (IOException e) {
            throw syntaxError(e);
        }
    }

    /** The current number as a double. */
    double doubleValue() {
        try {
            return parser.getDoubleValue();
        } catch (IOException e) {
            throw syntaxError(e);
        }
    }

    /** The current integer token's magnitude class. */
    JsonParser.NumberType numberType() {
        try {
            return parser.getNumberType();
        } catch (IOException e) {
            throw syntaxError(e);
        }
    }

    /** The current integer token as an int (call only when {@link #numberType()} is INT). */
    int intValue() {
        try {
            return parser.getIntValue();
        } catch (IOException e) {
            throw syntaxError(e);
        }
    }

    /** Skips the value starting at the current token (a whole object or array, or a scalar). */
    void skipValue() {
        try {
            parser.skipChildren();
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw readFailure(e); // a read failure, not bad JSON: InputOption names the source
        }
    }

    /** Whether the current token is a JSON number. */
    boolean isNumber() {
        JsonToken t = parser.currentToken();
        return t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT;
    }

    /** What the current value is, for messages: {@code a string "x"}, {@code an object}, {@code null}, ... */
    String describe() {
        JsonToken t = parser.currentToken();
        if (t == null) {
            return "missing";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string " + Messages.quote(text());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "the number " + Messages.clip(text());
            case VALUE_TRUE:
                return "true";
            case VALUE_FALSE:
                return "false";
            case VALUE_NULL:
                return "null";
            default:
                return t.asString() == null ? t.name() : t.asString();
        }
    }

    /** The input path of the current token in the CLI's notation, e.g. {@code targets[0].labels[2]}. */
    String path() {
        JsonStreamContext ctx = parser.getParsingContext();
        JsonToken t = parser.currentToken();
        if ((t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) && ctx.getParent() != null) {
            ctx = ctx.getParent();
        }
        return pathOf(ctx);
    }

    private static String pathOf(JsonStreamContext ctx) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                if (c.getCurrentIndex() >= 0) {
                    parts.addFirst("[" + c.getCurrentIndex() + "]");
                }
            } else if (c.inObject() && c.getCurrentName() != null) {
                parts.addFirst("." + Messages.key(c.getCurrentName()));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            sb.append(p);
        }
        String s = sb.toString();
        return s.startsWith(".") ? s.substring(1) : s;
    }

    private InvalidInputException syntaxError(IOException e) {
        JsonStreamContext ctx = parser.getParsingContext();
        JsonToken last = parser.currentToken();
        // in an object after a complete value, the error lies between fields: name the object, not the field
        // whose value ended fine (a missing comma after "pred_boxes": [...] is not an error in pred_boxes)
        boolean betweenFields = ctx.inObject() && ctx.getCurrentName() != null && last != null
                && last != JsonToken.FIELD_NAME && last != JsonToken.START_OBJECT;
        String where = pathOf(betweenFields ? ctx.getParent() : ctx);
        String field = where.isEmpty() ? "input" : where.length() > 160 ? where.substring(0, 150) + "..." : where;
        String after = betweenFields ? " after the value of " + Messages.key(ctx.getCurrentName()) : "";
        if (e instanceof JsonProcessingException) {
            JsonProcessingException jpe = (JsonProcessingException) e;
            String msg = jpe.getOriginalMessage() == null ? "" : jpe.getOriginalMessage();
            if (msg.startsWith("Duplicate field '")) { // the context already names the repeated key
                String dup = pathOf(ctx);
                return new InvalidInputException(dup.length() > 160 ? dup.substring(0, 150) + "..." : dup,
                        "is a duplicate key; keys must be unique");
            }
            JsonLocation loc = jpe.getLocation();
            String at = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            return new InvalidInputException(field, "is not valid JSON" + after + at + ": "
                    + Messages.jacksonProblem(msg));
        }
        throw readFailure(e);
    }

    /** Bytes that are not text in JSON's encodings are bad input; any other I/O failure is the source's. */
    private static RuntimeException readFailure(IOException e) {
        if (e instanceof java.io.CharConversionException) {
            return new InvalidInputException("input", "is not valid JSON text: " + Messages.oneLine(e.getMessage()));
        }
        return new UncheckedIOException(e);
    }

    /** Releases the parser (the underlying stream is left open). */
    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException ignored) {
            // nothing useful to do: the input has been read or rejected already
        }
    }
}
