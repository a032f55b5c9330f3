package dev.weft.sandbox.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * The sandbox worker's main class. The platform starts it with its own heap limit and an empty
 * environment, sends run requests on standard input and reads results on standard output; anything
 * else the runtime prints goes to standard error. The worker exits when its input closes.
 *
 * <p>Arguments: {@code <allowed python modules, comma-separated> <max output bytes> <max result bytes>}.
 */
public final class Worker {

    private Worker() {
    }

    public static void main(String[] args) throws IOException {
        DataOutputStream protocol = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        String allowed = args.length > 0 ? args[0] : "";
        int maxOutput = args.length > 1 ? Integer.parseInt(args[1]) : 1024 * 1024;
        int maxResult = args.length > 2 ? Integer.parseInt(args[2]) : 8 * 1024 * 1024;

        long started = System.nanoTime();
        Runner runner = new Runner(allowed, maxOutput, maxResult);
        runner.warmUp();
        Frames.write(protocol, List.of("ready", String.join(",", Runner.LANGUAGES),
                String.valueOf((System.nanoTime() - started) / 1_000_000)));
        while (true) {
            List<String> request = Frames.read(in);
            if (request == null) {
                break;
            }
            if (request.size() != 5 || !"run".equals(request.get(0))) {
                Frames.write(protocol, List.of("error", "sandbox_unavailable", "a malformed request", "", "", "0", "0"));
                continue;
            }
            Runner.Outcome outcome = runner.run(request.get(1), request.get(2), request.get(3), Long.parseLong(request.get(4)));
            Frames.write(protocol, outcome.fields());
        }
        runner.close();
        System.exit(0);
    }
}
