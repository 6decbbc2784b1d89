package cn.chuanyu.cyx;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import cn.chuanyu.client.Page;
import cn.chuanyu.client.Transfers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "transfers", description = "Case transfers (案件移送).", mixinStandardHelpOptions = true,
        subcommands = {TransferCommands.Submit.class, TransferCommands.ListTransfers.class, TransferCommands.Show.class,
                TransferCommands.Accept.class, TransferCommands.Reject.class, TransferCommands.Withdraw.class})
final class TransferCommands {

    static void print(Transfers.Transfer t, boolean json) {
        if (json) {
            Output.json(t);
            return;
        }
        Output.fields(List.of("id", "state", "case number", "title", "type", "from", "to", "reason", "decide by",
                        "overdue", "decision note", "version"),
                List.of(t.id(), t.state(), t.caseNumber(), t.title(), t.caseType(), t.fromAgency(), t.toAgency(),
                        t.reason(), String.valueOf(t.decisionDueAt()), t.overdue(), String.valueOf(t.decisionNote()),
                        t.version()));
    }

    @Command(name = "submit", description = "Transfer a case to another agency.", mixinStandardHelpOptions = true)
    static final class Submit implements Callable<Integer> {
        @Option(names = "--to", required = true, description = "The receiving agency's id.") String to;
        @Option(names = "--case-number", required = true) String caseNumber;
        @Option(names = "--title", required = true) String title;
        @Option(names = "--type", required = true, description = "CRIMINAL, CIVIL, ADMINISTRATIVE, ...") String type;
        @Option(names = "--reason", required = true) String reason;
        @Option(names = "--summary") String summary;
        @Option(names = "--due", description = "Decide by (ISO-8601 instant).") Instant due;
        @Option(names = "--idempotency-key", description = "Your own key (default: a new one per run).") String key;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            Transfers.Transfer t = Config.client().transfers().submit(
                    new Transfers.NewTransfer(caseNumber, title, type, to, reason, summary, due), key);
            print(t, out.json);
            return Cyx.OK;
        }
    }

    @Command(name = "list", description = "The caller's transfers, newest first.", mixinStandardHelpOptions = true)
    static final class ListTransfers implements Callable<Integer> {
        @Option(names = "--direction", description = "incoming or outgoing (default both)") String direction;
        @Option(names = "--state") String state;
        @Option(names = "--limit") Integer limit;
        @Option(names = "--cursor") String cursor;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            Page<Transfers.Transfer> page = Config.client().transfers().list(direction, state, limit, cursor);
            if (out.json) {
                Output.json(page);
                return Cyx.OK;
            }
            Output.table(List.of("ID", "STATE", "CASE NUMBER", "TITLE", "FROM", "TO", "UPDATED"),
                    page.items().stream().map(t -> List.<Object>of(t.id(), t.state(), t.caseNumber(), t.title(),
                            t.fromAgency(), t.toAgency(), String.valueOf(t.updatedAt()))).toList());
            if (page.nextCursor() != null) {
                System.err.println("more: --cursor " + page.nextCursor());
            }
            return Cyx.OK;
        }
    }

    @Command(name = "show", description = "One transfer.", mixinStandardHelpOptions = true)
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "TRANSFER") UUID id;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            print(Config.client().transfers().get(id), out.json);
            return Cyx.OK;
        }
    }

    @Command(name = "accept", description = "Accept a submitted transfer (recipient).", mixinStandardHelpOptions = true)
    static final class Accept implements Callable<Integer> {
        @Parameters(paramLabel = "TRANSFER") UUID id;
        @Option(names = "--note") String note;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            print(Config.client().transfers().accept(id, note), out.json);
            return Cyx.OK;
        }
    }

    @Command(name = "reject", description = "Reject a submitted transfer (recipient).", mixinStandardHelpOptions = true)
    static final class Reject implements Callable<Integer> {
        @Parameters(paramLabel = "TRANSFER") UUID id;
        @Option(names = "--reason", required = true) String reason;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            print(Config.client().transfers().reject(id, reason), out.json);
            return Cyx.OK;
        }
    }

    @Command(name = "withdraw", description = "Withdraw an undecided transfer (sender).", mixinStandardHelpOptions = true)
    static final class Withdraw implements Callable<Integer> {
        @Parameters(paramLabel = "TRANSFER") UUID id;
        @Option(names = "--reason", required = true) String reason;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            print(Config.client().transfers().withdraw(id, reason), out.json);
            return Cyx.OK;
        }
    }
}
