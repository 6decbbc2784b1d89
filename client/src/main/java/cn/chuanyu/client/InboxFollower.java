package cn.chuanyu.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows the inbox: each item goes to the handler once, in order, and its cursor is stored only after the handler
 * returned. A crash (or a handler that throws) before that leaves the stored cursor at the previous item, so the
 * item comes again on the next run: nothing is skipped, and nothing that was handled comes twice.
 */
public final class InboxFollower {

    /** Handles one item; throwing stops the follower with the item unhandled (it comes again next time). */
    @FunctionalInterface
    public interface Handler {
        void handle(Inbox.Item item) throws Exception;
    }

    /** Where the cursor lives between runs. */
    public interface CursorStore {
        /** The stored cursor; empty before the first item was handled. */
        Optional<String> load();

        /** Stores the cursor durably before returning. */
        void save(String cursor);
    }

    /** Thrown when the handler failed; the item's cursor was not stored. */
    public static final class HandlerFailed extends RuntimeException {
        private final Inbox.Item item;

        HandlerFailed(Inbox.Item item, Exception cause) {
            super("handler failed on inbox item " + item.cursor() + " (" + item.type() + "): " + cause, cause);
            this.item = item;
        }

        public Inbox.Item item() {
            return item;
        }
    }

    private final Inbox inbox;
    private final CursorStore store;
    private final Handler handler;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private int pageSize = 100;

    InboxFollower(Inbox inbox, CursorStore store, Handler handler) {
        this.inbox = inbox;
        this.store = store;
        this.handler = handler;
    }

    public InboxFollower pageSize(int size) {
        this.pageSize = size;
        return this;
    }

    /** Handles everything waiting now, then returns how many items were handled. */
    public int drain() {
        int handled = 0;
        while (!stopped.get()) {
            String after = store.load().orElse(null);
            Inbox.Batch batch = inbox.read(after, pageSize);
            for (Inbox.Item item : batch.items()) {
                try {
                    handler.handle(item);
                }
                catch (Exception ex) {
                    throw new HandlerFailed(item, ex);
                }
                store.save(item.cursor());
                handled++;
            }
            if (batch.items().size() < pageSize) {
                return handled;
            }
        }
        return handled;
    }

    /**
     * Drains, sleeps {@code pollInterval}, and again, until {@link #stop()} or the thread is interrupted. A platform
     * that is unreachable or failing (after the client's own retries) only delays the next poll; a handler failure
     * ends the run ({@link HandlerFailed}).
     */
    public void run(Duration pollInterval) {
        while (!stopped.get() && !Thread.currentThread().isInterrupted()) {
            try {
                drain();
            }
            catch (UncheckedIOException | ProblemException.ServiceUnavailable | ProblemException.ServerError
                    | ProblemException.TooManyRequests unavailable) {
                System.getLogger(InboxFollower.class.getName()).log(System.Logger.Level.WARNING,
                        "inbox poll failed, trying again in " + pollInterval + ": " + unavailable);
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public void stop() {
        stopped.set(true);
    }

    /** A cursor in a file, replaced atomically (write a sibling, force it to disk, rename over). */
    public static CursorStore fileStore(Path file) {
        return new CursorStore() {
            @Override
            public Optional<String> load() {
                try {
                    if (!Files.exists(file)) {
                        return Optional.empty();
                    }
                    String value = Files.readString(file, StandardCharsets.UTF_8).strip();
                    return value.isEmpty() ? Optional.empty() : Optional.of(value);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }

            @Override
            public void save(String cursor) {
                try {
                    Path parent = file.toAbsolutePath().getParent();
                    Files.createDirectories(parent);
                    Path tmp = parent.resolve(file.getFileName() + ".tmp");
                    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                        out.write(StandardCharsets.UTF_8.encode(cursor + "\n"));
                        out.force(true);
                    }
                    try {
                        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    }
                    catch (AtomicMoveNotSupportedException ex) {
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
        };
    }
}
