package dev.unitguard.apply;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the changes to one unit: a fair lock per unit inside this process, then an exclusive file lock on
 * {@code locks/UNIT.lock} so another process (a second agent, a CLI run with --local) waits too. Different units
 * never wait for each other.
 */
final class UnitLocks {

    private final StateDirectory state;
    private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    UnitLocks(StateDirectory state) {
        this.state = state;
    }

    /** Blocks until {@code unit} is free and returns the held lock; close it to release. */
    Held acquire(String unit) throws IOException {
        ReentrantLock lock = locks.computeIfAbsent(unit, u -> new ReentrantLock(true));
        lock.lock();
        try {
            Path file = state.lock(unit);
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new Held(lock, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    /** A held unit lock: the lock inside this process and the file lock (which knows its channel). */
    static final class Held implements AutoCloseable {
        private final ReentrantLock lock;
        private final FileLock fileLock;

        private Held(ReentrantLock lock, FileLock fileLock) {
            this.lock = lock;
            this.fileLock = fileLock;
        }

        @Override
        public void close() throws IOException {
            try {
                fileLock.release();
                fileLock.channel().close();
            } finally {
                lock.unlock();
            }
        }
    }
}
