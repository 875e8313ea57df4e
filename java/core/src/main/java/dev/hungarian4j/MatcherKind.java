package dev.hungarian4j;

import java.util.Locale;

/** Which bipartite matcher runs. Both return an optimal matching. */
public enum MatcherKind {
    /** Shortest augmenting path (Crouse 2016), scipy's tie-breaking. */
    EXACT,
    /** Auction with ε-scaling, certified by its duals and repaired when the certificate fails. */
    AUCTION;

    /**
     * Lower-case name used on the command line.
     *
     * @return {@code exact} or {@code auction}
     */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code exact} or {@code auction} (case-sensitive).
     *
     * @param s the name to parse; may be null (then rejected)
     * @return the matcher kind
     * @throws InvalidInputException naming {@code --matcher} when {@code s} is neither name
     */
    public static MatcherKind parse(String s) {
        for (MatcherKind m : values()) {
            if (m.cliName().equals(s)) {
                return m;
            }
        }
        throw new InvalidInputException("--matcher", "is \"" + s + "\"; must be exact or auction");
    }
}
