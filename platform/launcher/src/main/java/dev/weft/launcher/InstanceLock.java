package dev.weft.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes sure one server at a time runs on a home folder: two would corrupt each other's store and
 * cache. The lock is the operating system's, so it dies with the process.
 */
final class InstanceLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of a home's data folder.
     *
     * @throws UsageException when another process holds it
     */
    static InstanceLock acquire(Path data) throws IOException, UsageException {
        Path file = data.resolve("weft.lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new UsageException("another Weft server is running on this home (" + data.getParent()
                    + "): stop it first, or set WEFT_HOME to another folder");
        }
        return new InstanceLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
