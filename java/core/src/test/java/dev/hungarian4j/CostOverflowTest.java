package dev.hungarian4j;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite inputs whose matching cost overflows float32 (boxes near ±3e38) get one behaviour on every backend and
 * matcher: an {@link InvalidInputException} naming the prediction's box and the target (issue 10 item 7). Once the
 * native exact matcher said "infeasible", the jvm one threw an internal error and the auction named an internal
 * array.
 */
class CostOverflowTest {
    static Stream<Arguments> backends() {
        return Stream.of(Arguments.of(BackendKind.JVM, MatcherKind.EXACT), Arguments.of(BackendKind.NATIVE,
                MatcherKind.EXACT), Arguments.of(BackendKind.NATIVE, MatcherKind.AUCTION));
    }

    /** Image 1, query 1 at cx = 3e38 and image 1's target 1 at cx = -1e38: only that pair overflows. */
    private static Batch batch(float targetCx) {
        Batch b = SyntheticBatch.generate(9, 3, 4, new int[] {1, 2});
        b.predictions().boxes()[4 * (3 + 1)] = 3e38f;
        b.targets().boxes()[4 * 2] = targetCx;
        return new Batch(new Predictions(2, 3, b.numLogits(), b.predictions().logits(), b.predictions().boxes()),
                new Targets(b.targets().offsets(), b.targets().labels(), b.targets().boxes()));
    }

    private static final HungarianConfig CFG = HungarianConfig.builder().costBbox(1).build();

    @ParameterizedTest
    @MethodSource("backends")
    void anOverflowingCostIsBadInputNamingTheBox(BackendKind backend, MatcherKind matcher) {
        HungarianLoss loss = HungarianLoss.create(CFG, backend, matcher);
        Batch b = batch(-1e38f);
        for (Runnable call : new Runnable[] {() -> loss.compute(b, true), () -> loss.match(b),
            () -> loss.costs(b)}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, call::run);
            assertEquals("pred_boxes[1][1]", e.field());
            assertTrue(e.getMessage().contains("with target 1 of image 1"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void largeCostsThatFitAreAccepted(BackendKind backend, MatcherKind matcher) {
        LossResult r = HungarianLoss.create(CFG, backend, matcher).compute(batch(-1e37f), true);
        assertTrue(Double.isFinite(r.matching().cost(1)), r.matching().toString());
    }
}
