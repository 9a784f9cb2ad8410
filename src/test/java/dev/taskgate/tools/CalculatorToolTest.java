package dev.taskgate.tools;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact arithmetic, and clear errors for what it cannot do. */
class CalculatorToolTest {

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
}
