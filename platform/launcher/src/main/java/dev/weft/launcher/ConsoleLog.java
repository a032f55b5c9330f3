package dev.weft.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends everything the server prints to the console and to {@code logs/weft.log}: SLF4J (through
 * slf4j-simple, which writes to {@link System#out}), java.util.logging (Jersey, HK2) and the
 * framework's own messages.
 */
final class ConsoleLog {

    static final String FILE_NAME = "weft.log";
    private static final long ROTATE_AT_BYTES = 20L * 1024 * 1024;
    private static final int KEEP_FILES = 5;
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private ConsoleLog() {
    }

    /** Tees standard output and error into the log file and configures the logging libraries. */
    static void install(Path logs) throws IOException {
        OutputStream shared = new RotatingFile(logs.resolve(FILE_NAME), ROTATE_AT_BYTES);
        System.setOut(new PrintStream(new Tee(System.out, shared), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(System.err, shared), true, StandardCharsets.UTF_8));
        configureSlf4jSimple();
        configureJul();
    }

    /** Moves weft.log to weft.log.1 (and .1 to .2, ...), keeping {@link #KEEP_FILES} old files. */
    /**
     * For commands: everything the platform prints goes to the log file only, so that the
     * command's own output (written to the streams it was given) stays clean.
     */
    static void installFileOnly(Path logs) throws IOException {
        OutputStream file = new RotatingFile(logs.resolve(FILE_NAME), ROTATE_AT_BYTES);
        PrintStream log = new PrintStream(file, true, StandardCharsets.UTF_8);
        System.setOut(log);
        System.setErr(log);
        configureSlf4jSimple();
        configureJul();
    }

    private static void rotate(Path file) throws IOException {
        for (int i = KEEP_FILES - 1; i >= 1; i--) {
            Path older = file.resolveSibling(FILE_NAME + "." + i);
            if (Files.exists(older)) {
                Files.move(older, file.resolveSibling(FILE_NAME + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, file.resolveSibling(FILE_NAME + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void configureSlf4jSimple() {
        setDefault("org.slf4j.simpleLogger.logFile", "System.out");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "info");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "false");
        setDefault("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        setDefault("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
        setDefault("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
        setDefault("org.slf4j.simpleLogger.log.org.apache.aries.spifly", "warn");
    }

    private static void setDefault(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    private static void configureJul() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        root.addHandler(new StdoutHandler());
        // java.util.logging keeps loggers weakly: hold the ones configured here
        QUIETED.clear();
        quiet("org.glassfish.jersey.internal.inject.Providers", Level.SEVERE);
        quiet("org.glassfish.jersey.server.wadl", Level.OFF);
        quiet("org.glassfish.jersey.message.internal.MessagingBinders", Level.SEVERE);
        quiet("org.flywaydb", Level.WARNING);
        quiet("org.apache.aries.spifly", Level.WARNING);
    }

    private static final java.util.List<Logger> QUIETED = new java.util.ArrayList<>();

    /** Harmless notices: Jersey's for every resource instance and optional module, startup chatter. */
    private static void quiet(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        QUIETED.add(logger);
    }

    /** Formats java.util.logging records like slf4j-simple's lines, on the current System.out. */
    private static final class StdoutHandler extends Handler {
        StdoutHandler() {
            setFormatter(new Formatter() {
                @Override
                public String format(LogRecord record) {
                    String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
                    String shortName = logger.substring(logger.lastIndexOf('.') + 1);
                    StringBuilder line = new StringBuilder()
                            .append(LocalDateTime.now().format(TIME)).append(' ')
                            .append(level(record.getLevel())).append(' ')
                            .append(shortName).append(" - ").append(formatMessage(record))
                            .append(System.lineSeparator());
                    if (record.getThrown() != null) {
                        java.io.StringWriter trace = new java.io.StringWriter();
                        record.getThrown().printStackTrace(new java.io.PrintWriter(trace));
                        line.append(trace);
                    }
                    return line.toString();
                }
            });
        }

        private static String level(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) {
                return "ERROR";
            } else if (level.intValue() >= Level.WARNING.intValue()) {
                return "WARN";
            } else if (level.intValue() >= Level.INFO.intValue()) {
                return "INFO";
            }
            return "DEBUG";
        }

        @Override
        public void publish(LogRecord record) {
            if (isLoggable(record)) {
                System.out.print(getFormatter().format(record));
            }
        }

        @Override
        public void flush() {
            System.out.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }

    /**
     * The log file, appended to and rotated once it passes {@link #ROTATE_AT_BYTES}, at start and
     * while running. Writes from both console streams are serialised here.
     */
    static final class RotatingFile extends OutputStream {
        private final Path file;
        private final long limit;
        private OutputStream out;
        private long size;

        RotatingFile(Path file, long limit) throws IOException {
            this.file = file;
            this.limit = limit;
            if (Files.exists(file) && Files.size(file) >= limit) {
                rotate(file);
            }
            open();
        }

        private void open() throws IOException {
            out = new java.io.BufferedOutputStream(
                    Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 8192);
            size = Files.size(file);
        }

        @Override
        public synchronized void write(int b) throws IOException {
            out.write(b);
            size++;
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            size += length;
        }

        /** Called at the end of every line: rotates between lines, never inside one. */
        @Override
        public synchronized void flush() throws IOException {
            out.flush();
            if (size >= limit) {
                out.close();
                rotate(file);
                open();
            }
        }

        @Override
        public synchronized void close() throws IOException {
            out.close();
        }
    }
}
