package dev.weft.launcher;

/** The command line or the environment asked for something that cannot be done as asked. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
