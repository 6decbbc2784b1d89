package cn.chuanyu.cyx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import cn.chuanyu.client.ChuanyuClient;
import cn.chuanyu.client.Evidence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evidence", description = "Evidence packages: create, put files (resumable), seal, get, verify.",
        mixinStandardHelpOptions = true,
        subcommands = {EvidenceCommands.Create.class, EvidenceCommands.Put.class, EvidenceCommands.Seal.class,
                EvidenceCommands.Get.class, EvidenceCommands.Verify.class, EvidenceCommands.Show.class})
final class EvidenceCommands {

    static Evidence evidence(ChuanyuClient client) {
        return client.evidence().withUploadStateDir(Config.dir().resolve("uploads"));
    }

    static void print(Evidence.EvidencePackage p, boolean json) {
        if (json) {
            Output.json(p);
            return;
        }
        Output.fields(List.of("id", "state", "title", "from", "to", "items", "bytes", "sealed at", "manifest sha256"),
                List.of(p.id(), p.state(), p.title(), p.fromAgency(), p.toAgency(), p.itemCount(), p.totalBytes(),
                        String.valueOf(p.sealedAt()), String.valueOf(p.manifestSha256())));
        if (p.items() != null && !p.items().isEmpty()) {
            Output.OUT.println();
            Output.table(List.of("ITEM", "SIZE", "SHA-256", "TYPE"), p.items().stream()
                    .map(i -> List.<Object>of(i.name(), i.size(), i.sha256(), i.contentType())).toList());
        }
    }

    /** A progress bar on stderr when it is a terminal; nothing otherwise. */
    static Evidence.Progress progressBar(String name) {
        if (System.console() == null) {
            return Evidence.Progress.NONE;
        }
        long[] last = {-1};
        return (done, total) -> {
            long percent = total > 0 ? done * 100 / total : 100;
            if (percent != last[0]) {
                last[0] = percent;
                int bars = (int) (percent * 30 / 100);
                System.err.printf("\r%-24.24s [%-30s] %3d%% %,d/%,d", name, "#".repeat(bars), percent, done, total);
                if (done >= total) {
                    System.err.println();
                }
            }
        };
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Open a package for another agency.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--to", required = true) String to;
        @Option(names = "--title", required = true) String title;
        @Option(names = "--case-transfer") UUID caseTransfer;
        @Option(names = "--assistance-request") UUID assistanceRequest;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            print(Config.client().evidence().create(title, to, caseTransfer, assistanceRequest), out.json);
            return Cyx.OK;
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Upload files as items (tus, with Repr-Digest). Stopped and run again, it resumes from "
                    + "what the service holds.")
    static final class Put implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PACKAGE") UUID id;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE") List<Path> files;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            Evidence evidence = evidence(Config.client());
            for (Path file : files) {
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("not a file: " + file);
                }
            }
            for (Path file : files) {
                Evidence.Transferred done = evidence.upload(id, file, progressBar(file.getFileName().toString()));
                if (out.json) {
                    Output.json(done);
                }
                else {
                    Output.OUT.println(done.name() + "  " + done.size() + " bytes  sha256 " + done.sha256()
                            + (done.resumedFrom() > 0 ? "  (resumed at " + done.resumedFrom() + ")" : ""));
                }
            }
            return Cyx.OK;
        }
    }

    @Command(name = "seal", mixinStandardHelpOptions = true, description = "Seal the package: a signed manifest.")
    static final class Seal implements Callable<Integer> {
        @Parameters(paramLabel = "PACKAGE") UUID id;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            Evidence.Manifest m = Config.client().evidence().seal(id);
            if (out.json) {
                Output.json(m);
            }
            else {
                Output.fields(List.of("package", "manifest sha256", "signing key"),
                        List.of(m.packageId(), m.sha256(), m.signingKeyId()));
            }
            return Cyx.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One package and its items.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "PACKAGE") UUID id;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            print(Config.client().evidence().get(id), out.json);
            return Cyx.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Download an item (Range-resumable through FILE.part; its SHA-256 is checked).")
    static final class Get implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PACKAGE") UUID id;
        @Parameters(index = "1", paramLabel = "ITEM") String item;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE") Path target;
        @Mixin JsonOption out;

        @Override
        public Integer call() {
            Evidence.Transferred done = evidence(Config.client()).download(id, item, target, progressBar(item));
            if (out.json) {
                Output.json(done);
            }
            else {
                Output.OUT.println(target + "  " + done.size() + " bytes  sha256 " + done.sha256() + "  verified");
            }
            return Cyx.OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check the package's seal (SHA-256 and Ed25519 over the canonical manifest) against a "
                    + "pinned key, and every item against the files in --dir.",
                    "Exit 0 when all is well, 1 when anything does not match."})
    static final class Verify implements Callable<Integer> {
        @Parameters(paramLabel = "PACKAGE") UUID id;
        @Option(names = "--dir", required = true) Path dir;
        @Option(names = "--key", paramLabel = "PEM-FILE",
                description = "The evidence signing key you pinned (GET /api/v1/evidence-packages/signing-key, "
                        + "publicKeyPem). Without it, the key the platform publishes now is used, which proves less.")
        Path key;
        @Mixin JsonOption out;

        @Override
        public Integer call() throws IOException {
            ChuanyuClient client = Config.client();
            String pem;
            if (key != null) {
                pem = Files.readString(key);
            }
            else {
                System.err.println("cyx: no --key: checking against the signing key the platform publishes now");
                pem = client.evidence().signingKey().publicKeyPem();
            }
            Evidence.Verification v = client.evidence().verifyPackage(id, dir, pem);
            if (out.json) {
                Output.json(v);
            }
            else {
                Output.table(List.of("ITEM", "SIZE", "STATUS"), v.items().stream()
                        .map(i -> List.<Object>of(i.name(), i.size(), i.status())).toList());
                Output.OUT.println((v.valid() ? "VALID: " : "INVALID: ") + (v.valid()
                        ? "manifest " + v.manifestSha256() + " is signed by the key and every item matches"
                        : String.join("; ", v.problems())));
            }
            return v.valid() ? Cyx.OK : Cyx.INVALID;
        }
    }
}
