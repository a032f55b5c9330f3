package dev.weft.platform.security.internal;

import dev.weft.platform.security.OperatorToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator token in {@code WEFT_HOME/conf/operator.token}: read when the file exists, else
 * created (32 random bytes, base64url) by writing a temporary file readable by its owner only and
 * moving it into place, so that no reader ever sees a half-written or world-readable token. The
 * folder comes from the framework property {@code weft.conf} (or {@code weft.home}/conf), which the
 * launcher sets.
 */
@Component(service = OperatorToken.class, immediate = true)
public final class FileOperatorToken implements OperatorToken {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private static final Logger LOG = LoggerFactory.getLogger(FileOperatorToken.class);

    private final String token;

    @Activate
    public FileOperatorToken(BundleContext context) {
        this(confFolder(context), new Secrets());
    }

    /**
     * Reads or creates the token under a folder; with no folder, the token lives in memory only.
     *
     * @throws UncheckedIOException when the file can be neither read nor created
     */
    FileOperatorToken(Path conf, Secrets secrets) {
        if (conf == null) {
            LOG.warn("No weft.conf or weft.home framework property: the operator token is kept in memory only");
            this.token = secrets.token();
            return;
        }
        try {
            this.token = readOrCreate(conf.resolve(FILE), secrets);
        } catch (IOException e) {
            throw new UncheckedIOException("the operator token file could not be read or created in " + conf, e);
        }
    }

    @Override
    public boolean matches(String candidate) {
        if (candidate == null || candidate.isBlank()) {
            return false;
        }
        return Secrets.constantTimeEquals(candidate.strip(), token);
    }

    @Override
    public String toString() {
        return "FileOperatorToken[***]";
    }

    static String readOrCreate(Path file, Secrets secrets) throws IOException {
        if (Files.isRegularFile(file)) {
            String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!existing.isEmpty()) {
                restrict(file);
                return existing;
            }
            LOG.warn("The operator token file {} is empty: a new token replaces it", file);
        }
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        String created = secrets.token();
        Path temporary = posix(folder)
                ? Files.createTempFile(folder, "." + FILE + "-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(folder, "." + FILE + "-", ".tmp");
        try {
            Files.writeString(temporary, created + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        LOG.info("Created the operator token file {}", file);
        return created;
    }

    /** Makes the file readable by its owner only, where the file system has POSIX permissions. */
    private static void restrict(Path file) throws IOException {
        if (posix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            LOG.warn("The operator token file {} was readable by others: it is now readable by its owner only", file);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static Path confFolder(BundleContext context) {
        String conf = context.getProperty("weft.conf");
        if (conf != null && !conf.isBlank()) {
            return Path.of(conf);
        }
        String home = context.getProperty("weft.home");
        return home == null || home.isBlank() ? null : Path.of(home, "conf");
    }
}
