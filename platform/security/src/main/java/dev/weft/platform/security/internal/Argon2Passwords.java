package dev.weft.platform.security.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing with Argon2id (RFC 9106), stored as PHC strings:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} with standard base64 without padding.
 *
 * <p>New hashes use OWASP's recommended parameters (19 MiB, 2 passes, 1 lane), a 16-byte random
 * salt and a 32-byte output. Verification reads the parameters from the stored string, so hashes
 * made with other parameters keep working ({@link #needsRehash} tells when to upgrade them), and
 * compares in constant time. The password bytes derived from the caller's characters are wiped
 * after use; the caller's array is left to the caller.
 */
class Argon2Passwords {

    /** OWASP's recommended Argon2id parameters. */
    static final Params OWASP = new Params(19_456, 2, 1);

    /** The parameters of a hash: memory in KiB, passes, lanes. */
    record Params(int memoryKib, int iterations, int parallelism) {
    }

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    /** Hashes read from the store are ours, but a corrupt one must not make us allocate gigabytes. */
    private static final int MAX_MEMORY_KIB = 1 << 20;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 16;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,88})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    /**
     * A hash of 32 random bytes that were thrown away, with the current parameters: verified against when
     * the email is unknown, so that an unknown email costs the same time as a wrong password.
     */
    static final String DUMMY_HASH =
            "$argon2id$v=19$m=19456,t=2,p=1$fZcZiN7kxFpbmPUc2FGXug$EzpZ+br15HYluyWTRq0UVENCnqr/K/6aGiyiloTd4k0";

    private final Params params;
    private final Secrets secrets;
    private final String dummyHash;

    Argon2Passwords(Params params, Secrets secrets) {
        this.params = params;
        this.secrets = secrets;
        this.dummyHash = params.equals(OWASP) ? DUMMY_HASH : hashBytes(secrets.bytes(32));
    }

    /** A new PHC string for the password, with a fresh salt. */
    String hash(char[] password) {
        return hashBytes(utf8(password));
    }

    /** Hashes the secret bytes, then wipes them. */
    private String hashBytes(byte[] secret) {
        byte[] salt = secrets.bytes(SALT_BYTES);
        byte[] hash = derive(secret, salt, params, HASH_BYTES);
        try {
            return "$argon2id$v=19$m=" + params.memoryKib() + ",t=" + params.iterations() + ",p="
                    + params.parallelism() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
        } finally {
            Arrays.fill(hash, (byte) 0);
        }
    }

    /** Whether the password matches the PHC string; false for anything malformed. */
    boolean verify(char[] password, String phc) {
        Optional<Parsed> parsed = parse(phc);
        if (parsed.isEmpty() || password == null) {
            // still spend the time of one verification, so that nothing tells the cases apart
            derive(new byte[0], new byte[SALT_BYTES], params, HASH_BYTES);
            return false;
        }
        Parsed stored = parsed.get();
        byte[] actual = derive(utf8(password), stored.salt(), stored.params(), stored.hash().length);
        try {
            return MessageDigest.isEqual(actual, stored.hash());
        } finally {
            Arrays.fill(actual, (byte) 0);
        }
    }

    /** Spends the time of one verification against a hash nobody knows the password of; always false. */
    boolean verifyDummy(char[] password) {
        verify(password == null ? new char[0] : password, dummyHash);
        return false;
    }

    /** Whether a stored hash was made with other parameters than the current ones. */
    boolean needsRehash(String phc) {
        return parse(phc).map(parsed -> !parsed.params().equals(params) || parsed.hash().length != HASH_BYTES)
                .orElse(true);
    }

    private record Parsed(Params params, byte[] salt, byte[] hash) {
    }

    private static Optional<Parsed> parse(String phc) {
        if (phc == null) {
            return Optional.empty();
        }
        Matcher matcher = PHC.matcher(phc);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            Params params = new Params(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                    Integer.parseInt(matcher.group(3)));
            if (params.parallelism() < 1 || params.parallelism() > MAX_PARALLELISM || params.iterations() < 1
                    || params.iterations() > MAX_ITERATIONS || params.memoryKib() < 8 * params.parallelism()
                    || params.memoryKib() > MAX_MEMORY_KIB) {
                return Optional.empty();
            }
            byte[] salt = B64_DECODER.decode(matcher.group(4));
            byte[] hash = B64_DECODER.decode(matcher.group(5));
            if (salt.length < 8 || hash.length < 16) {
                return Optional.empty();
            }
            return Optional.of(new Parsed(params, salt, hash));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Argon2id of the secret bytes, which are wiped afterwards. */
    private static byte[] derive(byte[] secret, byte[] salt, Params params, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKib())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .withSalt(salt)
                .build());
        byte[] out = new byte[length];
        try {
            generator.generateBytes(secret, out);
            return out;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** The UTF-8 bytes of the characters, without going through a String that could not be wiped. */
    static byte[] utf8(char[] chars) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }
}
