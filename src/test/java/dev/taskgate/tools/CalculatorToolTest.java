package dev.taskgate.tools;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact arithmetic, and clear errors for what it cannot do. */
class CalculatorToolTest {

    /**
     * What "quick" means below. Unbounded, these expressions compute for minutes (9^9^9 alone has
     * 369 million digits); bounded, the slowest (the first, in a cold JVM) takes about 120 ms on an
     * idle two-core machine and twice that on a busy one. Only a lost bound fails this limit.
     */
    private static final long QUICK_MILLIS = 2_000;

    @Test
    void integerArithmeticIsExact() {
        assertEquals("7006652", CalculatorTool.evaluate("1234 * 5678"));
        assertEquals("1267650600228229401496703205376", CalculatorTool.evaluate("2^100"));
        assertEquals("1267650600228229401496703205376", CalculatorTool.evaluate("2 ** 100"));
        assertEquals("99999999999999999980000000000000000001", CalculatorTool.evaluate("9999999999999999999 * 9999999999999999999"));
        assertEquals("42", CalculatorTool.evaluate("(17 + 25) * (3 - 2)"));
        assertEquals("1000000", CalculatorTool.evaluate("1,000 * 1,000"));
    }

    @Test
    void decimalsHaveNoBinaryRoundingErrors() {
        assertEquals("0.3", CalculatorTool.evaluate("0.1 + 0.2"));
        assertEquals("2.5", CalculatorTool.evaluate("5 / 2"));
        assertTrue(CalculatorTool.evaluate("1 / 3").startsWith("0.3333333333"));
        assertEquals("1.4142135623730950488", CalculatorTool.evaluate("SQRT(2)").substring(0, 21));
    }

    @Test
    void badExpressionsAreExplained() {
        assertThrows(IllegalArgumentException.class, () -> CalculatorTool.evaluate("1 / 0"));
        assertThrows(IllegalArgumentException.class, () -> CalculatorTool.evaluate("2 +"));
        assertThrows(IllegalArgumentException.class, () -> CalculatorTool.evaluate("10 ^ 99999999"));
        assertThrows(IllegalArgumentException.class, () -> CalculatorTool.evaluate("1+".repeat(300) + "1"));
    }

    /** No expression makes the calculator work long or answer with a huge text, however it nests. */
    @Test
    void hugeResultsStayShortAndQuick() {
        for (String expression : new String[]{"(10^1000)^1000", "((10^1000)^1000)^1000", "9^(9^9)", "2^(2^(2^(2^5)))",
                "FACT(100000)", "FACT(FACT(10))", "(10^1000)*(10^1000)*(10^1000)", "SQRT(10^1000)^1000", "1/3^1000",
                "(0.1^1000)^1000", "10^1000 - 10^999"}) {
            assertAnsweredShortWithin(expression);
        }
        assertEquals("1E+1000000", CalculatorTool.evaluate("(10^1000)^1000"));
    }

    /** {@code ^} is right-associative, so a tower's exponent is itself a power: each power is bounded as it is computed. */
    @Test
    void powerTowersAreRefusedQuickly() {
        String millionDigits = "(10^1000)^1000";
        String hugeProduct = String.join("*", java.util.Collections.nCopies(20, millionDigits));
        for (String expression : new String[]{"9^9^9^9", "9^9^9", "2^2^2^2^2^2", "(9^9)^(9^9)", "0.5^9^9^9", "1^(9^9^9)",
                "1^" + hugeProduct, "1.0000001^9^9^9", "-9^9^9^9", "9^-9^9^9", "10^(10^6+1)", "FLOOR(" + hugeProduct + ")",
                hugeProduct + " % 7", "ROUND(" + hugeProduct + ", 2)", "CEILING(" + hugeProduct + ")", "SQRT(" + hugeProduct + ")",
                "LOG10(" + hugeProduct + ")", "1/" + hugeProduct, "FLOOR(1E+999999999)", "ROUND(1.5, 100000000)",
                "CEILING(-" + hugeProduct + ")", "FLOOR(" + millionDigits + ") + 1"}) {
            assertAnsweredShortWithin(expression);
        }
        assertEquals("256", CalculatorTool.evaluate("2^2^3"));
        assertEquals("3", CalculatorTool.evaluate("FLOOR(3.7)"));
        assertEquals("-3", CalculatorTool.evaluate("CEILING(-3.7)"));
        assertEquals("2.35", CalculatorTool.evaluate("ROUND(2.346, 2)"));
        assertEquals("1E+1000000", CalculatorTool.evaluate("FLOOR(" + millionDigits + ")"));
        assertEquals("1E-1000000", CalculatorTool.evaluate("(0.1^1000)^1000"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> CalculatorTool.evaluate("9^9^9^9"));
        assertTrue(refused.getMessage().contains("powers are limited"), refused.getMessage());
    }

    /** The expression is answered, or refused, within {@link #QUICK_MILLIS} and in fewer than 200 characters. */
    private static void assertAnsweredShortWithin(String expression) {
        long started = System.nanoTime();
        String result;
        try {
            result = CalculatorTool.evaluate(expression);
        } catch (IllegalArgumentException refused) {
            result = refused.getMessage();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < QUICK_MILLIS, expression + " took " + millis + " ms");
        assertTrue(result.length() < 200, expression + " answered " + result.length() + " characters");
    }
}
