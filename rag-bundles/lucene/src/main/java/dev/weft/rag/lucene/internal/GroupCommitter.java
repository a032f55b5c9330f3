package dev.weft.rag.lucene.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes writes durable with as few commits as possible: a group commit.
 *
 * <p>A Lucene commit flushes and fsyncs; done once per document, it caps ingestion at the disk's
 * fsync rate whatever the number of threads. Here every writer, after its update, waits until a
 * commit covers its update's sequence number. If no commit is running, it runs one itself; if one
 * is running, it waits for it and then checks again, because its update may have arrived after that
 * commit began. So while one commit runs, the writers that arrive meanwhile are all covered by the
 * single next commit.
 *
 * <p>The writer that is about to commit first waits, at most {@link #LINGER_NANOS}, for the updates
 * other writers have already started: without this, the writers woken by the previous commit are
 * still building their next documents when the next commit begins, and it covers only one or two
 * of them. A lone writer never waits (no update is in flight but its own), so a single write is
 * committed at once.
 *
 * <p>{@link org.apache.lucene.index.IndexWriter#commit()} returns the sequence number of the last
 * operation it includes, which is what {@link #awaitDurable} compares with. A failed commit wakes
 * the waiters, and the next of them tries again and reports its own failure.
 */
final class GroupCommitter {

    /** The longest a committing writer waits for updates in flight. */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** What runs one commit. */
    @FunctionalInterface
    interface Commit {
        /**
         * Commits everything written so far and makes it visible to searches; returns the sequence
         * number of the last operation included.
         */
        long run() throws IOException;
    }

    /** One update of the index. */
    @FunctionalInterface
    interface Update {
        /** Applies the update; returns its sequence number. */
        long run() throws IOException;
    }

    private final Commit commit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long durableUpTo = -1;
    private boolean committing;
    private int inFlight;

    /** @param commit runs a commit; the writers it covers return after it */
    GroupCommitter(Commit commit) {
        this.commit = commit;
    }

    /** Applies an update and returns once a commit covers it. */
    void write(Update update) throws IOException {
        lock.lock();
        try {
            inFlight++;
        } finally {
            lock.unlock();
        }
        long sequenceNumber;
        try {
            sequenceNumber = update.run();
        } finally {
            lock.lock();
            try {
                inFlight--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
        awaitDurable(sequenceNumber);
    }

    /** Returns once the operation with this sequence number is committed. */
    void awaitDurable(long sequenceNumber) throws IOException {
        lock.lock();
        try {
            while (durableUpTo < sequenceNumber) {
                if (!committing) {
                    committing = true;
                    long lingerUntil = System.nanoTime() + LINGER_NANOS;
                    long remaining;
                    while (inFlight > 0 && (remaining = lingerUntil - System.nanoTime()) > 0) {
                        changed.awaitNanos(remaining);
                    }
                    lock.unlock();
                    try {
                        commitNow();
                    } finally {
                        lock.lock();
                    }
                    // a commit that began after this writer's update necessarily includes it
                    return;
                }
                changed.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the index to commit");
        } finally {
            lock.unlock();
        }
    }

    private void commitNow() throws IOException {
        long committed = -1;
        boolean succeeded = false;
        try {
            committed = commit.run();
            succeeded = true;
        } finally {
            lock.lock();
            try {
                committing = false;
                if (succeeded) {
                    durableUpTo = Math.max(durableUpTo, committed);
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
