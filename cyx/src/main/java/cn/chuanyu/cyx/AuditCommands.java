package cn.chuanyu.cyx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import cn.chuanyu.client.Audit;
import cn.chuanyu.client.ChuanyuClient;
import cn.chuanyu.client.audit.AuditProofs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "audit", description = "The audit trail.", mixinStandardHelpOptions = true,
        subcommands = AuditCommands.Entry.class)
final class AuditCommands {

    @Command(name = "entry", mixinStandardHelpOptions = true,
            description = {"Show an audit entry; with --verify also check offline that it is in the signed log (the "
                    + "rules of bin/chuanyu-verify, the same code).", "Exit 1 when the proof is INVALID."})
    static final class Entry implements Callable<Integer> {
        @Parameters(paramLabel = "SEQ") long seq;
        @Option(names = "--verify") boolean verify;
        @Option(names = "--key", paramLabel = "FILE",
                description = "The log's note verifier key you pinned (GET /api/v1/audit/public-key); default: "
                        + "the key the platform publishes now.")
        Path key;
        @Option(names = "--save", paramLabel = "DIR",
                description = "With --verify: keep key.txt, checkpoint.txt, entry.json and proof.json there, for "
                        + "bin/chuanyu-verify.")
        Path save;
        @Mixin JsonOption out;

        @Override
        public Integer call() throws IOException {
            ChuanyuClient client = Config.client();
            Audit audit = client.audit();
            JsonNode entry = audit.entry(seq);
            if (out.json) {
                Output.json(entry);
            }
            else {
                Output.table(java.util.List.of("SEQ", "TYPE", "EXCHANGE", "FROM", "TO", "RECORDED"),
                        java.util.List.of(java.util.List.of(entry.path("seq").asString(), entry.path("type").asString(),
                                entry.path("exchangeId").asString(), entry.path("fromAgency").asString(),
                                entry.path("toAgency").asString(), entry.path("recordedAt").asString())));
            }
            if (!verify) {
                return Cyx.OK;
            }
            String pinned = key == null ? null : Files.readString(key);
            try {
                Audit.EntryVerification v = audit.verifyEntry(seq, pinned);
                keep(v);
                (out.json ? System.err : Output.OUT).println("VALID: " + v.verdict());
                return Cyx.OK;
            }
            catch (AuditProofs.InvalidProof ex) {
                (out.json ? System.err : Output.OUT).println("INVALID: " + ex.getMessage());
                return Cyx.INVALID;
            }
        }

        private void keep(Audit.EntryVerification v) throws IOException {
            if (save == null) {
                return;
            }
            Files.createDirectories(save);
            for (Map.Entry<String, String> f : Map.of("key.txt", v.key() + "\n", "checkpoint.txt", v.checkpoint(),
                    "entry.json", v.entryJson(), "proof.json", v.proofJson()).entrySet()) {
                Files.writeString(save.resolve(f.getKey()), f.getValue());
            }
        }
    }
}
