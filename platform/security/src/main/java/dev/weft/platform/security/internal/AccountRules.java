package dev.weft.platform.security.internal;

import dev.weft.api.core.ValidationException;
import dev.weft.api.core.Violation;
import dev.weft.platform.store.Workspace;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** What emails, names and passwords must look like; violations name the field as a JSON pointer. */
final class AccountRules {

    static final int MIN_PASSWORD_LENGTH = 8;
    /** Long enough for any pass phrase, short enough to refuse a megabyte posted as a password. */
    static final int MAX_PASSWORD_LENGTH = 256;
    static final int MAX_EMAIL_LENGTH = 320;
    static final int MAX_NAME_LENGTH = 255;

    private static final Pattern EMAIL = Pattern.compile(
            "[^@\\s\\p{Cntrl}]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");

    private AccountRules() {
    }

    /** The email as kept: trimmed and lower-cased; empty text for null. */
    static String normaliseEmail(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }

    static boolean validEmail(String normalised) {
        return normalised.length() <= MAX_EMAIL_LENGTH && EMAIL.matcher(normalised).matches();
    }

    /** The name as kept: stripped. */
    static String normaliseName(String name) {
        return name == null ? "" : name.strip();
    }

    /** Adds the email's violation, if any, to the list. */
    static void checkEmail(String normalised, List<Violation> violations) {
        if (!validEmail(normalised)) {
            violations.add(new Violation("/email", "must be an email address"));
        }
    }

    static void checkName(String normalised, List<Violation> violations) {
        if (normalised.isEmpty()) {
            violations.add(new Violation("/name", "must not be blank"));
        } else if (normalised.length() > MAX_NAME_LENGTH) {
            violations.add(new Violation("/name", "must be at most " + MAX_NAME_LENGTH + " characters"));
        }
    }

    static void checkPassword(char[] password, List<Violation> violations) {
        if (password == null || password.length < MIN_PASSWORD_LENGTH) {
            violations.add(new Violation("/password", "must be at least " + MIN_PASSWORD_LENGTH + " characters"));
            return;
        }
        if (password.length > MAX_PASSWORD_LENGTH) {
            violations.add(new Violation("/password", "must be at most " + MAX_PASSWORD_LENGTH + " characters"));
            return;
        }
        boolean letter = false;
        boolean digit = false;
        for (char c : password) {
            letter |= Character.isLetter(c);
            digit |= Character.isDigit(c);
        }
        if (!letter || !digit) {
            violations.add(new Violation("/password", "must contain both letters and digits"));
        }
    }

    /** The workspace name as kept, or a {@link ValidationException} at {@code /name}. */
    static String workspaceName(String name) {
        String normalised = normaliseName(name);
        if (normalised.isEmpty()) {
            throw ValidationException.of("/name", "must not be blank");
        }
        if (normalised.length() > Workspace.MAX_NAME_LENGTH) {
            throw ValidationException.of("/name", "must be at most " + Workspace.MAX_NAME_LENGTH + " characters");
        }
        return normalised;
    }

    /** Throws every violation at once, if there is any. */
    static void throwIfAny(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
    }
}
