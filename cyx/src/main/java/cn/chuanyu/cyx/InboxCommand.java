package cn.chuanyu.cyx;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import cn.chuanyu.client.ChuanyuClient;
import cn.chuanyu.client.InboxFollower;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "inbox", description = "The agency's inbox.", mixinStandardHelpOptions = true,
        subcommands = InboxCommand.Follow.class)
final class InboxCommand {

    @Command(name = "follow", mixinStandardHelpOptions = true,
            description = {"Prints new inbox items (or runs --exec once per item), resuming from a cursor file: "
                    + "each item's cursor is stored after it was printed or its command succeeded, so a run that "
                    + "is stopped and started again neither skips nor repeats an item.",
                    "Default cursor file: $CYX_CONFIG_DIR/inbox-<gateway and key>.cursor."})
    static final class Follow implements Callable<Integer> {
        @Option(names = "--once", description = "Print what is waiting and exit.") boolean once;
        @Option(names = "--exec", paramLabel = "CMD",
                description = "Run CMD (with sh -c) once per item, the item's JSON on its stdin; a non-zero exit "
                        + "stops here with status 5, and the item comes again next time.")
        String exec;
        @Option(names = "--cursor-file", paramLabel = "FILE") Path cursorFile;
        @Option(names = "--from-start", description = "Ignore the stored cursor and begin at the feed's start.")
        boolean fromStart;
        @Option(names = "--interval", defaultValue = "2", description = "Seconds between polls (default 2).")
        int interval;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            ChuanyuClient client = Config.client();
            Path file = cursorFile != null ? cursorFile : Config.dir().resolve("inbox-" + HexFormat.of()
                    .formatHex(sha256(client.gateway() + "|" + Config.apiKey())).substring(0, 16) + ".cursor");
            InboxFollower.CursorStore store = InboxFollower.fileStore(file);
            if (fromStart) {
                store.save("0");
            }
            boolean[] header = {false};
            InboxFollower follower = client.inbox().follower(store, item -> {
                if (exec != null) {
                    Process process = new ProcessBuilder("sh", "-c", exec).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                    try (OutputStream stdin = process.getOutputStream()) {
                        stdin.write(Output.JSON.writeValueAsBytes(item));
                        stdin.write('\n');
                    }
                    int status = process.waitFor();
                    if (status != 0) {
                        throw new IllegalStateException("--exec exited with " + status);
                    }
                }
                else if (out.json) {
                    Output.json(item);
                }
                else {
                    if (!header[0]) {
                        Output.table(List.of("CURSOR", "TYPE", "EXCHANGE", "FROM", "TO", "OCCURRED"), List.of());
                        header[0] = true;
                    }
                    Output.table(List.of(item.cursor(), item.type(), item.exchangeId(), String.valueOf(item.fromAgency()),
                            String.valueOf(item.toAgency()), String.valueOf(item.occurredAt())), List.of());
                }
            });
            try {
                if (once) {
                    follower.drain();
                }
                else {
                    follower.run(Duration.ofSeconds(Math.max(1, interval)));
                }
            }
            catch (InboxFollower.HandlerFailed failed) {
                System.err.println("cyx: " + failed.getMessage() + "; its cursor was not stored");
                return Cyx.EXEC_FAILED;
            }
            return Cyx.OK;
        }

        private static byte[] sha256(String text) {
            try {
                return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            }
            catch (java.security.NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }
}
