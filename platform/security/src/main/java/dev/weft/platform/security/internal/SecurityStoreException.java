package dev.weft.platform.security.internal;

import java.sql.SQLException;

/**
 * The database failed. The message says so without SQL or values (it may reach a log read by
 * others); the cause holds the driver's error for the operator.
 */
final class SecurityStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SecurityStoreException(SQLException cause) {
        super("the security tables could not be read or written", cause);
    }

    /** Whether the failure is a broken unique or foreign-key constraint (SQLState class 23). */
    boolean isConstraintViolation() {
        return getCause() instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23");
    }
}
