package dev.taskgate.tools;

import com.ezylang.evalex.EvaluationException;
import com.ezylang.evalex.Expression;
import com.ezylang.evalex.config.ExpressionConfiguration;
import com.ezylang.evalex.data.EvaluationValue;
import com.ezylang.evalex.functions.FunctionParameter;
import com.ezylang.evalex.functions.FunctionParameters;
import com.ezylang.evalex.functions.basic.CeilingFunction;
import com.ezylang.evalex.functions.basic.FactFunction;
import com.ezylang.evalex.functions.basic.FloorFunction;
import com.ezylang.evalex.functions.basic.RoundFunction;
import com.ezylang.evalex.functions.basic.SqrtFunction;
import com.ezylang.evalex.operators.InfixOperator;
import com.ezylang.evalex.operators.OperatorIfc;
import com.ezylang.evalex.operators.arithmetic.InfixPowerOfOperator;
import com.ezylang.evalex.parser.ParseException;
import com.ezylang.evalex.parser.Token;
import dev.taskgate.llm.ToolSpec;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exact decimal arithmetic (EvalEx on {@link BigDecimal}): + - * / ^ %, parentheses and the usual
 * functions such as SQRT. Every operation keeps 50 significant digits, so no intermediate result
 * grows beyond that however the expression nests: integers up to 50 digits are exact, larger ones
 * are answered in scientific notation.
 */
@ApplicationScoped
public class CalculatorTool implements Tool {

    static final int MAX_LENGTH = 500;
    static final int MAX_EXPONENT = 1000;

    static final int MAX_FACTORIAL = 10_000;
    /** The largest power, in decimal digits before or after the point: {@code (10^1000)^1000}, what the literal exponent bound allows. */
    static final long MAX_POWER_DIGITS = (long) MAX_EXPONENT * MAX_EXPONENT;
    private static final ExpressionConfiguration CONFIG = ExpressionConfiguration.builder()
            .mathContext(new MathContext(50, RoundingMode.HALF_EVEN))
            .arraysAllowed(false)
            .structuresAllowed(false)
            .build()
            .withAdditionalFunctions(Map.entry("FACT", new BoundedFactorial()), Map.entry("FLOOR", new BoundedFloor()),
                    Map.entry("CEILING", new BoundedCeiling()), Map.entry("ROUND", new BoundedRound()),
                    Map.entry("SQRT", new BoundedSqrt()))
            .withAdditionalOperators(Map.entry("^", new BoundedPower()));
    private static final Pattern EXPONENT = Pattern.compile("\\^\\s*\\(?\\s*-?(\\d+)");
    private static final ToolSpec SPEC = new ToolSpec("calculator",
            "Evaluates an arithmetic expression exactly, e.g. (1234 * 5678) / 2 or SQRT(2). Use it for any calculation.",
            Map.of("expression", "The arithmetic expression to evaluate"));

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public String run(ToolContext context, Map<String, Object> arguments) {
        if (!(arguments.get("expression") instanceof String expression) || expression.isBlank()) {
            throw new IllegalArgumentException("'expression' is required");
        }
        return evaluate(expression);
    }

    /**
     * Plain digits while they are exact; a number beyond 50 significant digits (every operation is
     * rounded to 50) in scientific notation, so that a result such as {@code (10^1000)^1000} is a
     * short text instead of a million digits.
     */
    private static String format(BigDecimal number) {
        int integerDigits = number.precision() - number.scale();
        if (integerDigits > CONFIG.getMathContext().getPrecision() || number.scale() > 2 * CONFIG.getMathContext().getPrecision()) {
            return number.toString();
        }
        return number.scale() < 0 ? number.setScale(0).toPlainString() : number.toPlainString();
    }

    static String evaluate(String expression) {
        if (expression.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the expression is longer than " + MAX_LENGTH + " characters");
        }
        String normalized = expression.replace("**", "^").replace('×', '*').replace('÷', '/').replace(",", "");
        Matcher exponent = EXPONENT.matcher(normalized);
        while (exponent.find()) {
            if (exponent.group(1).length() > 4 || Integer.parseInt(exponent.group(1)) > MAX_EXPONENT) {
                throw new IllegalArgumentException("exponents above " + MAX_EXPONENT + " are not supported");
            }
        }
        try {
            EvaluationValue value = new Expression(normalized, CONFIG).evaluate();
            if (!value.isNumberValue()) {
                throw new IllegalArgumentException("the expression does not evaluate to a number");
            }
            return format(value.getNumberValue().stripTrailingZeros());
        } catch (ParseException e) {
            throw new IllegalArgumentException("cannot parse the expression: " + e.getMessage());
        } catch (EvaluationException e) {
            throw new IllegalArgumentException("cannot evaluate the expression: " + e.getMessage());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("arithmetic error: " + e.getMessage());
        }
    }

    /**
     * {@code ^}, refused before it is computed when its result would have more than
     * {@value #MAX_POWER_DIGITS} digits (estimated as |exponent| × |log10 |base||) or its exponent
     * is larger than that, so that power towers such as {@code 9^9^9^9} (right-associative) end at once instead of working on numbers
     * with hundreds of millions of digits.
     */
    @InfixOperator(precedence = OperatorIfc.OPERATOR_PRECEDENCE_POWER, leftAssociative = false)
    static final class BoundedPower extends InfixPowerOfOperator {
        private static final BigDecimal LARGEST_EXPONENT = BigDecimal.valueOf(MAX_POWER_DIGITS);

        @Override
        public EvaluationValue evaluate(Expression expression, Token operatorToken, EvaluationValue... operands)
                throws EvaluationException {
            if (operands[0].isNumberValue() && operands[1].isNumberValue()) {
                BigDecimal base = operands[0].getNumberValue().abs();
                BigDecimal exponent = operands[1].getNumberValue().abs();
                if (exponent.compareTo(LARGEST_EXPONENT) > 0 || exponent.doubleValue() * Math.abs(log10(base)) > MAX_POWER_DIGITS) {
                    throw new IllegalArgumentException("powers are limited to exponents up to " + MAX_POWER_DIGITS + " and results of " + MAX_POWER_DIGITS + " digits");
                }
            }
            return super.evaluate(expression, operatorToken, operands);
        }

        /** log10 of a positive number from its digit count and leading digits, without touching the digits beyond them; 0 for 0. */
        private static double log10(BigDecimal positive) {
            if (positive.signum() == 0) {
                return 0;
            }
            int magnitude = positive.precision() - positive.scale();
            return magnitude + Math.log10(positive.movePointLeft(magnitude).doubleValue());
        }
    }

    /**
     * FLOOR, CEILING and ROUND only ever drop decimals: a number that has no more decimals than
     * asked for is returned as it is, so that {@code FLOOR(1E+1000000)} is not written out as a
     * million digits (which the final stripping of trailing zeros would then take hours over).
     */
    private static boolean hasAtMostDecimals(EvaluationValue value, int decimals) {
        return value.isNumberValue() && value.getNumberValue().scale() <= decimals;
    }

    @FunctionParameter(name = "value")
    static final class BoundedFloor extends FloorFunction {
        @Override
        public EvaluationValue evaluate(Expression expression, Token functionToken, EvaluationValue... parameters) {
            return hasAtMostDecimals(parameters[0], 0) ? parameters[0] : super.evaluate(expression, functionToken, parameters);
        }
    }

    @FunctionParameter(name = "value")
    static final class BoundedCeiling extends CeilingFunction {
        @Override
        public EvaluationValue evaluate(Expression expression, Token functionToken, EvaluationValue... parameters) {
            return hasAtMostDecimals(parameters[0], 0) ? parameters[0] : super.evaluate(expression, functionToken, parameters);
        }
    }

    @FunctionParameters({@FunctionParameter(name = "value"), @FunctionParameter(name = "scale")})
    static final class BoundedRound extends RoundFunction {
        @Override
        public EvaluationValue evaluate(Expression expression, Token functionToken, EvaluationValue... parameters) {
            return parameters[1].isNumberValue() && hasAtMostDecimals(parameters[0], parameters[1].getNumberValue().intValue())
                    ? parameters[0] : super.evaluate(expression, functionToken, parameters);
        }
    }

    /** SQRT with the JDK's square root at the expression's precision: EvalEx's own works on every digit of its argument, which takes hours for 1E+20000000. */
    @FunctionParameter(name = "value", nonNegative = true)
    static final class BoundedSqrt extends SqrtFunction {
        @Override
        public EvaluationValue evaluate(Expression expression, Token functionToken, EvaluationValue... parameters) {
            return expression.convertValue(parameters[0].getNumberValue().sqrt(expression.getConfiguration().getMathContext()));
        }
    }

    /** FACT, for whole numbers up to {@value #MAX_FACTORIAL}: each step is a multiplication, so it is the one function whose work grows with its argument. */
    @FunctionParameter(name = "base")
    static final class BoundedFactorial extends FactFunction {
        @Override
        public EvaluationValue evaluate(Expression expression, Token functionToken, EvaluationValue... parameters) {
            if (parameters[0].getNumberValue().compareTo(BigDecimal.valueOf(MAX_FACTORIAL)) > 0) {
                throw new IllegalArgumentException("FACT takes whole numbers up to " + MAX_FACTORIAL);
            }
            return super.evaluate(expression, functionToken, parameters);
        }
    }
}
