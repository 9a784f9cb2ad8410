package dev.taskgate.support;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads the persisted model calls of a task straight from PostgreSQL. */
public final class ModelCalls {

    public record Row(String purpose, String provider, String model, long inputTokens, long outputTokens,
                      BigDecimal cost) {
    }

    private ModelCalls() {
    }

    public static List<Row> of(DataSource dataSource, String taskId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT purpose, provider, model, input_tokens,"
                     + " output_tokens, cost FROM model_calls WHERE task_id = ? ORDER BY id")) {
            query.setString(1, taskId);
            List<Row> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getString(1), result.getString(2), result.getString(3), result.getLong(4),
                            result.getLong(5), result.getBigDecimal(6)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long inputTokens(List<Row> rows) {
        return rows.stream().mapToLong(Row::inputTokens).sum();
    }

    public static long outputTokens(List<Row> rows) {
        return rows.stream().mapToLong(Row::outputTokens).sum();
    }

    public static BigDecimal cost(List<Row> rows) {
        return rows.stream().map(Row::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
