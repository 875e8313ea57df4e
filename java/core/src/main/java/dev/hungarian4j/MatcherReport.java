package dev.hungarian4j;

/**
 * How the auction matcher ended on each problem: trivially, certified optimal by its duals, or repaired by
 * shortest augmenting paths (after a failed certificate or the round cap). Every outcome but {@code NON_FINITE}
 * (a refused problem whose costs were not all finite) is optimal.
 */
public final class MatcherReport {
    /** Fields per problem in the native stats array. */
    public static final int STATS_LEN = 8;

    /** A problem's outcome. */
    public enum Outcome {
        /** {@code min(Q, M) <= 1}: no auction needed. */
        TRIVIAL,
        /** The auction's duals proved the matching optimal. */
        CERTIFIED,
        /** The certificate failed; shortest augmenting paths repaired the matching. */
        REPAIRED,
        /** The round cap was hit; shortest augmenting paths repaired the matching. */
        CAPPED_REPAIRED,
        /** Some cost was NaN or infinite (device pipeline only): the problem was refused, nothing matched. */
        NON_FINITE;

        /**
         * Lower-case name used in JSON.
         *
         * @return {@code trivial}, {@code certified}, {@code repaired}, {@code capped_repaired} or
         *         {@code non_finite}
         */
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final int[] stats;

    /**
     * Wraps the stats the native auction matcher wrote.
     *
     * @param stats {@link #STATS_LEN} ints per problem as the native matcher writes them (kept, not copied);
     *              not null
     * @throws IllegalArgumentException when the length is not a multiple of {@link #STATS_LEN}
     */
    public MatcherReport(int[] stats) {
        if (stats.length % STATS_LEN != 0) {
            throw new IllegalArgumentException("stats length must be a multiple of " + STATS_LEN);
        }
        this.stats = stats;
    }

    /**
     * Number of problems.
     *
     * @return the number of problems (images)
     */
    public int problems() {
        return stats.length / STATS_LEN;
    }

    /**
     * Outcome of problem {@code p}.
     *
     * @param p the problem (image) index, in {@code [0, problems())}
     * @return how the matcher ended on it
     */
    public Outcome outcome(int p) {
        return Outcome.values()[stats[p * STATS_LEN]];
    }

    /**
     * Forward auction rounds of problem {@code p}.
     *
     * @param p the problem (image) index, in {@code [0, problems())}
     * @return the number of forward rounds
     */
    public int forwardRounds(int p) {
        return stats[p * STATS_LEN + 1];
    }

    /**
     * Reverse auction rounds of problem {@code p}.
     *
     * @param p the problem (image) index, in {@code [0, problems())}
     * @return the number of reverse rounds
     */
    public int reverseRounds(int p) {
        return stats[p * STATS_LEN + 2];
    }

    /**
     * Float64 price-refinement rounds of problem {@code p}.
     *
     * @param p the problem (image) index, in {@code [0, problems())}
     * @return the number of refinement rounds
     */
    public int refinementRounds(int p) {
        return stats[p * STATS_LEN + 3];
    }

    /**
     * ε phases of problem {@code p}.
     *
     * @param p the problem (image) index, in {@code [0, problems())}
     * @return the number of ε-scaling phases
     */
    public int phases(int p) {
        return stats[p * STATS_LEN + 4];
    }

    /**
     * Augmentations of the repair of problem {@code p}.
     *
     * @param p the problem (image) index, in {@code [0, problems())}
     * @return the number of augmenting paths the repair used
     */
    public int augmentations(int p) {
        return stats[p * STATS_LEN + 5];
    }

    /**
     * The raw stats array, not a copy.
     *
     * @return {@link #STATS_LEN} ints per problem
     */
    public int[] raw() {
        return stats;
    }

    /** The outcome of each problem (up to 16 listed). */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("MatcherReport{problems=").append(problems()).append(", outcomes=[");
        for (int p = 0; p < problems() && p < 16; p++) {
            s.append(p == 0 ? "" : ", ").append(outcome(p));
        }
        return s.append(problems() > 16 ? ", ...]}" : "]}").toString();
    }
}
