package dev.weft.platform.store.internal;

/** The database failed; the message names the operation, the cause holds the SQL error for the log. */
final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
