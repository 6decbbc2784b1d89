package cn.chuanyu.cyx;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import cn.chuanyu.client.AssistanceRequests;
import cn.chuanyu.client.Page;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "assistance", description = "Assistance requests (协查).", mixinStandardHelpOptions = true,
        subcommands = {AssistanceCommands.Submit.class, AssistanceCommands.ListRequests.class,
                AssistanceCommands.Show.class, AssistanceCommands.Acknowledge.class, AssistanceCommands.Complete.class,
                AssistanceCommands.Decline.class})
final class AssistanceCommands {

    static void print(AssistanceRequests.AssistanceRequest r, boolean json) {
        if (json) {
            Output.json(r);
            return;
        }
        Output.fields(List.of("id", "state", "type", "subject", "from", "to", "due", "overdue", "result",
                        "evidence package", "decline reason", "version"),
                List.of(r.id(), r.state(), r.type(), r.subject(), r.fromAgency(), r.toAgency(), String.valueOf(r.dueAt()),
                        r.overdue(), String.valueOf(r.result()), String.valueOf(r.evidencePackageId()),
                        String.valueOf(r.declineReason()), r.version()));
    }

    @Command(name = "submit", description = "Ask another agency for help.", mixinStandardHelpOptions = true)
    static final class Submit implements Callable<Integer> {
        @Option(names = "--to", required = true) String to;
        @Option(names = "--type", required = true,
                description = "INVESTIGATION, SERVICE_OF_DOCUMENTS, ENFORCEMENT, ASSET_FREEZE or PERSON_LOCATE")
        String type;
        @Option(names = "--subject", required = true) String subject;
        @Option(names = "--details", required = true) String details;
        @Option(names = "--case-transfer") UUID caseTransfer;
        @Option(names = "--due", description = "Needed by (ISO-8601 instant).") Instant due;
        @Option(names = "--idempotency-key") String key;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            print(Config.client().assistance().submit(new AssistanceRequests.NewAssistanceRequest(type, to, subject,
                    details, caseTransfer, due), key), out.json);
            return Cyx.OK;
        }
    }

    @Command(name = "list", description = "The caller's assistance requests.", mixinStandardHelpOptions = true)
    static final class ListRequests implements Callable<Integer> {
        @Option(names = "--direction") String direction;
        @Option(names = "--state") String state;
        @Option(names = "--limit") Integer limit;
        @Option(names = "--cursor") String cursor;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            Page<AssistanceRequests.AssistanceRequest> page = Config.client().assistance()
                    .list(direction, state, limit, cursor);
            if (out.json) {
                Output.json(page);
                return Cyx.OK;
            }
            Output.table(List.of("ID", "STATE", "TYPE", "SUBJECT", "FROM", "TO", "DUE"),
                    page.items().stream().map(r -> List.<Object>of(r.id(), r.state(), r.type(), r.subject(),
                            r.fromAgency(), r.toAgency(), String.valueOf(r.dueAt()))).toList());
            if (page.nextCursor() != null) {
                System.err.println("more: --cursor " + page.nextCursor());
            }
            return Cyx.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One assistance request.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "REQUEST") UUID id;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            print(Config.client().assistance().get(id), out.json);
            return Cyx.OK;
        }
    }

    @Command(name = "acknowledge", mixinStandardHelpOptions = true, description = "Take the request on (recipient).")
    static final class Acknowledge implements Callable<Integer> {
        @Parameters(paramLabel = "REQUEST") UUID id;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            print(Config.client().assistance().acknowledge(id), out.json);
            return Cyx.OK;
        }
    }

    @Command(name = "complete", mixinStandardHelpOptions = true, description = "Complete with a result (recipient).")
    static final class Complete implements Callable<Integer> {
        @Parameters(paramLabel = "REQUEST") UUID id;
        @Option(names = "--result", required = true) String result;
        @Option(names = "--evidence-package") UUID evidencePackage;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            print(Config.client().assistance().complete(id, result, evidencePackage), out.json);
            return Cyx.OK;
        }
    }

    @Command(name = "decline", mixinStandardHelpOptions = true, description = "Decline with a reason (recipient).")
    static final class Decline implements Callable<Integer> {
        @Parameters(paramLabel = "REQUEST") UUID id;
        @Option(names = "--reason", required = true) String reason;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            print(Config.client().assistance().decline(id, reason), out.json);
            return Cyx.OK;
        }
    }
}
