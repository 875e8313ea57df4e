package dev.hungarian4j.cli;

import dev.hungarian4j.MatcherKind;
import picocli.CommandLine.Option;

/** The {@code --matcher exact|auction} option of match, loss, bench and demo (picocli mixin). */
public final class MatcherOption {
    @Option(names = "--matcher", paramLabel = "NAME",
            description = "exact|auction (default: auction on cuda, exact elsewhere)")
    String matcher;

    /** The requested matcher, or null for the backend's default. */
    MatcherKind kind() {
        return matcher == null ? null : MatcherKind.parse(matcher);
    }
}
