package cn.chuanyu.cyx;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

import cn.chuanyu.client.ProblemException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code cyx}: the Chuanyu Exchange API from a shell, on the client library. */
@Command(name = "cyx", mixinStandardHelpOptions = true, version = "cyx 0.1.0",
        description = "The Chuanyu Exchange API for agencies: transfers, assistance requests, the inbox, evidence "
                + "packages, the audit trail and webhooks.",
        footerHeading = "%nConfiguration:%n",
        footer = {"  CYX_GATEWAY and CYX_API_KEY, else what `cyx login` stored in $XDG_CONFIG_HOME/cyx/config.json "
                + "(~/.config/cyx, mode 600; CYX_CONFIG_DIR overrides the directory).",
                "%nExit status:",
                "  0  done (or VALID)",
                "  1  checked and found wrong: INVALID proof, evidence or signature; doctor found a problem",
                "  2  usage: bad arguments, or no gateway/key configured",
                "  3  the platform refused the request (a 4xx problem, printed on stderr)",
                "  4  the platform could not be reached or failed (5xx, 429/503 beyond the retry budget, I/O)",
                "  5  inbox follow --exec: the command failed on an item (its cursor was not stored)"},
        subcommands = {LoginCommand.class, DoctorCommand.class, TransferCommands.class, AssistanceCommands.class,
                InboxCommand.class, EvidenceCommands.class, AuditCommands.class, WebhookCommands.class,
                AutoComplete.GenerateCompletion.class})
public final class Cyx {

    static final int OK = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;
    static final int REFUSED = 3;
    static final int UNAVAILABLE = 4;
    static final int EXEC_FAILED = 5;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Cyx());
        cli.setExecutionExceptionHandler(Cyx::handle);
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
        return cli;
    }

    /** Problems as text on stderr, and the exit status that says what kind of failure it was. */
    private static int handle(Exception ex, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (ex instanceof ProblemException problem) {
            err.println("cyx: " + problem.describe().replace("\n", "\n     "));
            err.flush();
            return problem.status() >= 500 || problem.status() == 429 ? UNAVAILABLE : REFUSED;
        }
        if (ex instanceof Config.NotConfigured) {
            err.println("cyx: " + ex.getMessage());
            err.flush();
            return USAGE;
        }
        if (ex instanceof UncheckedIOException || ex instanceof java.io.IOException) {
            Throwable cause = ex instanceof UncheckedIOException u ? u.getCause() : ex;
            err.println("cyx: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            err.flush();
            return UNAVAILABLE;
        }
        if (ex instanceof IllegalArgumentException) {
            err.println("cyx: " + ex.getMessage());
            err.flush();
            return USAGE;
        }
        err.println("cyx: unexpected " + ex);
        ex.printStackTrace(err);
        err.flush();
        return UNAVAILABLE;
    }
}
