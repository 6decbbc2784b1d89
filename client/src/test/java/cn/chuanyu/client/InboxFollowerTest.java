package cn.chuanyu.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboxFollowerTest {

    /** An inbox of seven items with cursors 1..7, paged by {@code after} and {@code limit} like the service's. */
    static StubServer inbox() {
        return new StubServer((ex, seen, i) -> {
            long after = 0;
            int limit = 50;
            if (seen.query() != null) {
                for (String p : seen.query().split("&")) {
                    String[] kv = p.split("=");
                    if (kv[0].equals("after")) {
                        after = Long.parseLong(kv[1]);
                    }
                    if (kv[0].equals("limit")) {
                        limit = Integer.parseInt(kv[1]);
                    }
                }
            }
            StringBuilder items = new StringBuilder();
            long last = after;
            for (long c = after + 1; c <= 7 && c <= after + limit; c++) {
                items.append(items.length() == 0 ? "" : ",").append("{\"cursor\":\"").append(c)
                        .append("\",\"type\":\"case-transfer.submitted\",\"exchangeId\":\"x").append(c)
                        .append("\",\"data\":{\"n\":").append(c).append("}}");
                last = c;
            }
            StubServer.respond(ex, 200, "application/json",
                    "{\"items\":[" + items + "],\"nextCursor\":\"" + last + "\"}");
        });
    }

    @Test
    void aHandlerFailureLeavesTheItemForTheNextRunAndNothingIsSkippedOrRepeated(@TempDir Path dir) {
        Path cursor = dir.resolve("inbox.cursor");
        List<String> handled = new ArrayList<>();
        try (StubServer stub = inbox()) {
            InboxFollower first = stub.client(RetryPolicy.none()).inbox().follower(InboxFollower.fileStore(cursor),
                    item -> {
                        if (item.exchangeId().equals("x4")) {
                            throw new IllegalStateException("crash while handling x4");
                        }
                        handled.add(item.exchangeId());
                    }).pageSize(2);
            assertThatThrownBy(first::drain).isInstanceOf(InboxFollower.HandlerFailed.class)
                    .hasMessageContaining("crash while handling x4");
            assertThat(InboxFollower.fileStore(cursor).load()).contains("3");

            // a new process: a new client, the same cursor file
            InboxFollower second = stub.client(RetryPolicy.none()).inbox().follower(InboxFollower.fileStore(cursor),
                    item -> handled.add(item.exchangeId())).pageSize(2);
            assertThat(second.drain()).isEqualTo(4);
            assertThat(second.drain()).isZero();
        }
        assertThat(handled).containsExactly("x1", "x2", "x3", "x4", "x5", "x6", "x7");
    }

    @Test
    void theCursorIsStoredOnlyAfterTheHandlerReturned(@TempDir Path dir) throws Exception {
        Path cursor = dir.resolve("c");
        List<String> storedWhileHandling = new ArrayList<>();
        try (StubServer stub = inbox()) {
            stub.client(RetryPolicy.none()).inbox().follower(InboxFollower.fileStore(cursor), item ->
                    storedWhileHandling.add(Files.exists(cursor) ? Files.readString(cursor).strip() : "none")).drain();
        }
        assertThat(storedWhileHandling).containsExactly("none", "1", "2", "3", "4", "5", "6");
        assertThat(Files.readString(cursor).strip()).isEqualTo("7");
    }
}
