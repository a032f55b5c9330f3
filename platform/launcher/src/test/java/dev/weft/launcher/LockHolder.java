package dev.weft.launcher;

import java.nio.file.Path;

/**
 * A process that holds a home's instance lock, as a running server does, until its standard input
 * closes: {@code java dev.weft.launcher.LockHolder <data-folder>}.
 */
public final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (InstanceLock lock = InstanceLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
    }
}
