package dev.hungarian4j.cli;

import java.util.regex.Pattern;

/** Formatting helpers that keep every {@code error:} message on one short, printable line. */
final class Messages {
    private static final int MAX_QUOTED = 80;
    private static final int MAX_MESSAGE = 600;
    private static final Pattern SOURCE = Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]");
    private static final Pattern HINT = Pattern.compile(": enable `[^`]*` to allow");

    private Messages() {
    }

    /** A string as a double-quoted, escaped, clipped literal. */
    static String quote(String s) {
        return "\"" + escape(clip(s)) + "\"";
    }

    /** A key for a path: plain when it is an identifier, else quoted. */
    static String key(String s) {
        return s.matches("[A-Za-z_][A-Za-z0-9_]{0,79}") ? s : quote(s);
    }

    /** The first {@value #MAX_QUOTED} characters of {@code s}, with an ellipsis when cut. */
    static String clip(String s) {
        return s.length() <= MAX_QUOTED ? s : s.substring(0, MAX_QUOTED) + "...";
    }

    /** One printable line: control characters escaped, length capped. */
    static String oneLine(String s) {
        String e = escape(s == null ? "" : s);
        return e.length() <= MAX_MESSAGE ? e : e.substring(0, MAX_MESSAGE) + "...";
    }

    /** A Jackson problem text without its source-location boilerplate and feature hints. */
    static String jacksonProblem(String msg) {
        String m = SOURCE.matcher(msg).replaceAll("line $1, column $2");
        m = HINT.matcher(m).replaceAll("");
        return m.replace('\n', ' ').replace('\r', ' ').trim();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
