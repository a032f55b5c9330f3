package dev.weft.platform.security.internal;

import dev.weft.api.core.ValidationException;
import dev.weft.api.core.WeftException;
import dev.weft.platform.security.Account;
import dev.weft.platform.security.Accounts;
import dev.weft.spi.command.Command;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The operator's account commands, run by the launcher on the real {@code WEFT_HOME} while the
 * server is stopped:
 * <ul>
 *   <li>{@code bin/weft admin create-owner --email <email> --password-file <file> [--name <name>]}:
 *       the first-run setup from the command line, for installations whose console nobody should
 *       reach before an owner exists; the last line is {@code owner=<email>}.
 *   <li>{@code bin/weft admin reset-password --email <email> --password-file <file>}: a forgotten
 *       password replaced (there is no mail to send a reset link with), every session of the
 *       account signed out; the last line is {@code reset=<email>}.
 * </ul>
 * The password is the file's first line (so that it shows neither in the process list nor in the
 * shell's history).
 */
@Component(service = Command.class, property = Command.NAME + "=admin")
public final class AdminCommand implements Command {

    static final String USAGE_TEXT =
            "usage: weft admin create-owner --email <email> --password-file <file> [--name <name>]\n"
            + "       weft admin reset-password --email <email> --password-file <file>";

    /** A password file is a line of text, not a document. */
    private static final long MAX_PASSWORD_FILE_BYTES = 64 * 1024;
    private static final Set<String> OPTIONS = Set.of("--email", "--password-file", "--name");

    private final Object lock = new Object();
    private Accounts accounts;
    /** How long to wait for the accounts service: the store opens (and migrates) in the background. */
    private Duration storeWait = Duration.ofSeconds(60);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            unbind = "unsetAccounts")
    void setAccounts(Accounts accounts) {
        synchronized (lock) {
            this.accounts = accounts;
            lock.notifyAll();
        }
    }

    void unsetAccounts(Accounts gone) {
        synchronized (lock) {
            if (accounts == gone) {
                accounts = null;
            }
        }
    }

    void storeWait(Duration wait) {
        this.storeWait = wait;
    }

    @Override
    public int run(List<String> arguments, PrintStream out, PrintStream err) {
        if (arguments.isEmpty() || !Set.of("create-owner", "reset-password").contains(arguments.get(0))) {
            return usage(out, err, arguments.isEmpty() ? "missing subcommand"
                    : "unknown subcommand '" + arguments.get(0) + "'");
        }
        boolean reset = arguments.get(0).equals("reset-password");
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < arguments.size(); i += 2) {
            String option = arguments.get(i);
            if (!OPTIONS.contains(option) || (reset && option.equals("--name"))) {
                return usage(out, err, "unknown argument '" + option + "'");
            }
            if (i + 1 >= arguments.size()) {
                return usage(out, err, option + " needs a value");
            }
            options.put(option, arguments.get(i + 1));
        }
        String email = options.get("--email");
        String passwordFile = options.get("--password-file");
        if (email == null || passwordFile == null) {
            return usage(out, err, email == null ? "--email is required" : "--password-file is required");
        }
        String name = options.getOrDefault("--name", email.strip().split("@", 2)[0]);

        Path file = Path.of(passwordFile);
        if (!Files.isRegularFile(file)) {
            out.println("error: the password file " + passwordFile + " does not exist");
            return USAGE;
        }
        char[] password;
        try {
            password = firstLine(file);
        } catch (CharacterCodingException e) {
            out.println("error: the password file " + passwordFile + " is not UTF-8 text");
            return USAGE;
        } catch (IOException e) {
            out.println("error: cannot read the password file " + passwordFile + ": " + e.getMessage());
            return FAILED;
        }
        try {
            if (password.length == 0) {
                out.println("error: the password file " + passwordFile + " is empty (or too long)");
                return USAGE;
            }
            return reset ? resetPassword(email, password, out) : createOwner(email, name, password, out);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private int resetPassword(String email, char[] password, PrintStream out) {
        Accounts service = accountsOrSay(out);
        if (service == null) {
            return FAILED;
        }
        try {
            Optional<Account> account = service.resetPassword(email, password);
            if (account.isEmpty()) {
                out.println("error: no account has the email " + email.strip());
                return FAILED;
            }
            out.println("reset=" + account.get().email());
            return OK;
        } catch (ValidationException e) {
            out.println("error: " + e.getMessage());
            return USAGE;
        }
    }

    /** The accounts service once the store is open, or null after saying why not. */
    private Accounts accountsOrSay(PrintStream out) {
        Accounts service;
        try {
            service = awaitAccounts();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("error: interrupted");
            return null;
        }
        if (service == null) {
            out.println("error: the store did not open in " + storeWait.toSeconds() + " s; see logs/weft.log");
        }
        return service;
    }

    private int createOwner(String email, String name, char[] password, PrintStream out) {
        Accounts service = accountsOrSay(out);
        if (service == null) {
            return FAILED;
        }
        try {
            Account owner = service.createOwner(email, name, password);
            out.println("owner=" + owner.email());
            return OK;
        } catch (ValidationException e) {
            out.println("error: " + e.getMessage());
            return USAGE;
        } catch (WeftException e) {
            if ("already_setup".equals(e.code())) {
                out.println("error: Weft is already set up: its owner exists (sign in on the console instead)");
            } else {
                out.println("error: " + e.getMessage());
            }
            return FAILED;
        }
    }

    private Accounts awaitAccounts() throws InterruptedException {
        long deadline = System.nanoTime() + storeWait.toNanos();
        synchronized (lock) {
            while (accounts == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return accounts;
        }
    }

    private static int usage(PrintStream out, PrintStream err, String problem) {
        err.println(USAGE_TEXT);
        out.println("error: " + problem + " (usage: weft admin create-owner|reset-password --email <email>"
                + " --password-file <file> [--name <name>])");
        return USAGE;
    }

    /**
     * The file's first line without its line break (nor a byte-order mark), as characters that the
     * caller wipes; empty when the file is empty or too large to be a password file.
     */
    static char[] firstLine(Path file) throws IOException {
        if (Files.size(file) > MAX_PASSWORD_FILE_BYTES) {
            return new char[0];
        }
        byte[] bytes = Files.readAllBytes(file);
        CharBuffer chars = null;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            int start = chars.length() > 0 && chars.charAt(0) == '\uFEFF' ? 1 : 0;
            int end = start;
            while (end < chars.length() && chars.charAt(end) != '\n' && chars.charAt(end) != '\r') {
                end++;
            }
            char[] line = new char[end - start];
            for (int i = start; i < end; i++) {
                line[i - start] = chars.charAt(i);
            }
            return line;
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (chars != null && chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
        }
    }
}
