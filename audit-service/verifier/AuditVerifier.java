import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Offline verifier for the Chuanyu Exchange audit log. JDK only, no dependency on the service: run it as a
 * single-file program (Java 17+) with what the API returned, saved to files.
 *
 * <pre>
 * java AuditVerifier.java inclusion   --key public-key.txt --checkpoint checkpoint.txt --entry entry.json --proof inclusion.json
 * java AuditVerifier.java consistency --key public-key.txt --old old-checkpoint.txt --new checkpoint.txt --proof consistency.json
 * java AuditVerifier.java checkpoint  --key public-key.txt --checkpoint checkpoint.txt
 * java AuditVerifier.java verify-bundle bundle.json --log-key public-key.txt --witness-key w1.txt [--witness-key ..]
 *      [--min-witnesses N] [--manifest-key evidence-key.pem] [--node-key node.txt ..]
 * </pre>
 *
 * verify-bundle checks a proof bundle ({@code GET /api/v1/audit/bundles/{exchangeId}}) against keys the user trusts
 * (never the bundle's own {@code keys}): the checkpoint's signature by the log key, C2SP tlog-cosignature/v1
 * cosignatures by at least --min-witnesses of the witness keys (default: all), each entry's leaf hash from its
 * canonical bytes and its inclusion proof against the checkpoint's root, the sealed manifest's digest against the
 * log's evidence.sealed entry and its item digests against the evidence.item-added entries (its signature with
 * --manifest-key), and the delivery evidences' notes with --node-key.
 *
 * --key is the note verifier key ({@code GET /api/v1/audit/public-key}: name+keyid+base64) or a file holding it.
 * A checkpoint is the C2SP signed note ({@code GET /api/v1/audit/checkpoint}) or the tree-head JSON
 * ({@code GET /api/v1/audit/tree-head}). The entry is one entry's JSON ({@code GET /api/v1/audit/entries/{seq}}),
 * the proofs are the JSON of {@code /api/v1/audit/proofs/inclusion} and {@code /consistency}.
 *
 * Checks: the checkpoint's Ed25519 signature under the key (C2SP signed-note), the entry's leaf hash
 * SHA-256(0x00 || canonical bytes) and that the entry's fields are the ones hashed, and the RFC 9162 §2.1.3.2 /
 * §2.1.4.2 proof against the signed root. Prints VALID or INVALID with the reason; exit code 0 valid, 1 invalid,
 * 2 unusable input: no or an unknown command, an unknown, repeated or valueless option, a file that is missing or
 * unreadable, malformed JSON, a malformed key (and --help). Each option's value is a file, or the text itself:
 * the key inline, a checkpoint note (several lines) or JSON ({ or [ first); anything else names a missing file.
 */
public final class AuditVerifier {

    /** The options of each command, all required. */
    static final Map<String, List<String>> COMMANDS = Map.of(
            "inclusion", List.of("key", "checkpoint", "entry", "proof"),
            "consistency", List.of("key", "old", "new", "proof"),
            "checkpoint", List.of("key", "checkpoint"));

    public static void main(String[] args) {
        try {
            String result = run(args);
            System.out.println("VALID: " + result);
            System.exit(0);
        }
        catch (Invalid ex) {
            System.out.println("INVALID: " + ex.getMessage());
            System.exit(1);
        }
        catch (Usage ex) {
            if (ex.getMessage() != null) {
                System.err.println(ex.getMessage());
            }
            // bin/chuanyu-verify names itself here; run directly, the program is the source file.
            String command = System.getProperty("chuanyu.verify.command", "java AuditVerifier.java");
            String indent = " ".repeat(command.length());
            System.err.println("usage: " + command + " inclusion   --key K --checkpoint C --entry E --proof P");
            System.err.println("       " + command + " consistency --key K --old C1 --new C2 --proof P");
            System.err.println("       " + command + " checkpoint  --key K --checkpoint C");
            System.err.println("       " + command + " verify-bundle FILE --log-key K --witness-key W [--witness-key W2 ...]");
            System.err.println("       " + indent + "               [--min-witnesses N] [--manifest-key M] [--node-key N ...]");
            System.err.println("       " + indent + " (each value a file, or the key, note or JSON itself)");
            System.err.println("exit status: 0 VALID, 1 INVALID, 2 unusable input or usage");
            System.exit(2);
        }
        catch (RuntimeException | StackOverflowError | OutOfMemoryError ex) {
            // Not a verdict: exit 1 must only ever mean INVALID (the JVM's own exit for an uncaught exception is 1).
            System.err.println("cannot verify: unexpected " + ex);
            ex.printStackTrace();
            System.exit(2);
        }
    }

    static String run(String[] args) {
        if (args.length == 0) {
            throw new Usage("no command");
        }
        if (List.of("--help", "-h", "help").contains(args[0])) {
            throw new Usage(null);
        }
        if (args[0].equals("verify-bundle")) {
            return Bundle.verify(Arrays.copyOfRange(args, 1, args.length));
        }
        List<String> allowed = COMMANDS.get(args[0]);
        if (allowed == null) {
            throw new Usage("unknown command " + args[0]);
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new Usage("bad argument " + args[i] + (args[i].startsWith("--") ? " (no value)" : ""));
            }
            String name = args[i].substring(2);
            if (!allowed.contains(name)) {
                throw new Usage("unknown option " + args[i] + " for " + args[0]);
            }
            if (opts.put(name, args[++i]) != null) {
                throw new Usage("--" + name + " given twice");
            }
        }
        NoteKey key = NoteKey.parse(textArg(opts, "key").trim());
        switch (args[0]) {
            case "checkpoint": {
                Checkpoint c = Checkpoint.open(checkpointText(opts, "checkpoint"), key);
                return "checkpoint of " + c.origin + " at tree size " + c.size + ", root " + hex(c.root)
                        + ", signed by " + key.name;
            }
            case "inclusion":
                return inclusion(key, opts);
            case "consistency":
                return consistency(key, opts);
            default:
                throw new Usage("unknown command " + args[0]);
        }
    }

    static String inclusion(NoteKey key, Map<String, String> opts) {
        Checkpoint checkpoint = Checkpoint.open(checkpointText(opts, "checkpoint"), key);
        Map<String, Object> entry = entryObject(Json.parse(textArg(opts, "entry")));
        Map<String, Object> proof = object(Json.parse(textArg(opts, "proof")), "proof");

        Object canonicalField = entry.get("canonical");
        if (!(canonicalField instanceof String)) {
            throw new Invalid("the entry has no canonical bytes");
        }
        byte[] canonical;
        try {
            canonical = Base64.getDecoder().decode((String) canonicalField);
        }
        catch (IllegalArgumentException ex) {
            throw new Invalid("the entry's canonical bytes are not base64");
        }
        Map<String, Object> hashed;
        try {
            hashed = object(Json.parse(new String(canonical, StandardCharsets.UTF_8)), "canonical bytes");
        }
        catch (Usage ex) {
            throw new Invalid("the entry's canonical bytes are not a JSON object");
        }
        // What the reader sees must be what was hashed.
        for (String field : List.of("seq", "eventId", "type", "source", "exchangeId", "fromAgency", "toAgency",
                "correlationId", "producer", "producerSeq")) {
            if (entry.containsKey(field) && !same(entry.get(field), hashed.get(field))) {
                throw new Invalid("the entry's " + field + " (" + entry.get(field)
                        + ") is not what its canonical bytes say (" + hashed.get(field) + ")");
            }
        }
        if (entry.containsKey("data") && entry.get("data") != null && !same(entry.get("data"), hashed.get("data"))) {
            throw new Invalid("the entry's data is not what its canonical bytes say");
        }
        byte[] leaf = leafHash(canonical);
        if (proof.get("leafHash") != null && !hex(leaf).equals(proof.get("leafHash"))) {
            throw new Invalid("the entry's leaf hash " + hex(leaf) + " is not the proof's " + proof.get("leafHash"));
        }
        long leafIndex = number(proof, "leafIndex");
        if (entry.get("leafIndex") != null && number(entry, "leafIndex") != leafIndex) {
            throw new Invalid("the proof is for leaf " + leafIndex + ", the entry is leaf " + entry.get("leafIndex"));
        }
        long treeSize = number(proof, "treeSize");
        if (treeSize != checkpoint.size) {
            throw new Invalid("the proof is for tree size " + treeSize + " but the checkpoint signs size "
                    + checkpoint.size);
        }
        List<byte[]> path = hashes(proof, "auditPath");
        byte[] root = rootFromInclusionProof(leafIndex, treeSize, leaf, path);
        if (root == null || !Arrays.equals(root, checkpoint.root)) {
            throw new Invalid("the audit path does not lead from the entry's leaf to the signed root");
        }
        return "entry seq " + hashed.get("seq") + " (event " + hashed.get("eventId") + ", " + hashed.get("type")
                + ") is leaf " + leafIndex + " of " + checkpoint.origin + " at tree size " + treeSize
                + ", root " + hex(checkpoint.root) + ", signed by " + key.name + "+" + hex(key.id);
    }

    static String consistency(NoteKey key, Map<String, String> opts) {
        Checkpoint older = Checkpoint.open(checkpointText(opts, "old"), key);
        Checkpoint newer = Checkpoint.open(checkpointText(opts, "new"), key);
        Map<String, Object> proof = object(Json.parse(textArg(opts, "proof")), "proof");
        if (!older.origin.equals(newer.origin)) {
            throw new Invalid("the checkpoints are of different logs");
        }
        if (proof.containsKey("from") && number(proof, "from") != older.size) {
            throw new Invalid("the proof starts at size " + proof.get("from") + ", the old checkpoint is size "
                    + older.size);
        }
        if (proof.containsKey("to") && number(proof, "to") != newer.size) {
            throw new Invalid("the proof ends at size " + proof.get("to") + ", the new checkpoint is size "
                    + newer.size);
        }
        List<byte[]> path = hashes(proof, "path");
        if (!consistent(older.size, newer.size, older.root, newer.root, path)) {
            throw new Invalid("the tree at size " + newer.size + " does not extend the tree at size " + older.size);
        }
        return "the log " + newer.origin + " at size " + newer.size + " (root " + hex(newer.root)
                + ") extends size " + older.size + " (root " + hex(older.root) + "), both signed by " + key.name;
    }

    // ---- proof bundles (GET /api/v1/audit/bundles/{exchangeId}) ------------------------------------------------

    /**
     * {@code verify-bundle FILE --log-key K --witness-key W... [--min-witnesses N] [--manifest-key M]
     * [--node-key N...]}: everything a bundle claims, checked against keys the user trusts; the keys the bundle
     * itself carries ({@code keys}) are never used.
     */
    static final class Bundle {

        static final int VERSION = 1;
        static final String SEALED = "evidence.sealed";
        static final String ITEM_ADDED = "evidence.item-added";
        static final String DELIVERY_HEADER = "chuanyu.exchange/delivery-evidence/v1";

        /** One entry of the bundle, read from its canonical bytes (never from fields beside them). */
        static final class Entry {
            final long leafIndex;
            final byte[] canonical;
            final Map<String, Object> hashed;

            Entry(long leafIndex, byte[] canonical, Map<String, Object> hashed) {
                this.leafIndex = leafIndex;
                this.canonical = canonical;
                this.hashed = hashed;
            }

            String type() {
                return String.valueOf(hashed.get("type"));
            }

            Map<String, Object> data() {
                return hashed.get("data") instanceof Map ? object(hashed.get("data"), "data") : Map.of();
            }
        }

        static String verify(String[] args) {
            String file = null;
            Map<String, List<String>> opts = new HashMap<>();
            List<String> repeatable = List.of("witness-key", "node-key");
            List<String> known = List.of("log-key", "witness-key", "min-witnesses", "manifest-key", "node-key");
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--")) {
                    if (file != null) {
                        throw new Usage("one bundle file only (" + file + ", " + args[i] + ")");
                    }
                    file = args[i];
                    continue;
                }
                String name = args[i].substring(2);
                if (!known.contains(name)) {
                    throw new Usage("unknown option " + args[i] + " for verify-bundle");
                }
                if (i + 1 >= args.length) {
                    throw new Usage("bad argument " + args[i] + " (no value)");
                }
                List<String> values = opts.computeIfAbsent(name, k -> new ArrayList<>());
                if (!values.isEmpty() && !repeatable.contains(name)) {
                    throw new Usage("--" + name + " given twice");
                }
                values.add(args[++i]);
            }
            if (file == null) {
                throw new Usage("verify-bundle needs the bundle file");
            }
            if (!opts.containsKey("log-key")) {
                throw new Usage("--log-key is required: the log's verifier key from configuration you trust");
            }
            NoteKey logKey = NoteKey.parse(textValue("log-key", opts.get("log-key").get(0)).trim());
            List<NoteKey> witnesses = new ArrayList<>();
            for (String w : opts.getOrDefault("witness-key", List.of())) {
                NoteKey key = NoteKey.parse(textValue("witness-key", w).trim(), (byte) 0x04, "witness verifier key");
                for (NoteKey other : witnesses) {
                    if (Arrays.equals(other.id, key.id) && other.name.equals(key.name)) {
                        throw new Usage("--witness-key " + key.name + " given twice");
                    }
                }
                witnesses.add(key);
            }
            int minWitnesses = witnesses.size();
            if (opts.containsKey("min-witnesses")) {
                String n = opts.get("min-witnesses").get(0);
                if (!n.matches("[0-9]{1,4}")) {
                    throw new Usage("--min-witnesses must be a whole number: " + n);
                }
                minWitnesses = Integer.parseInt(n);
                if (minWitnesses > witnesses.size()) {
                    throw new Usage("--min-witnesses " + minWitnesses + " but only " + witnesses.size()
                            + " --witness-key given: no checkpoint could ever satisfy that");
                }
            }
            else if (witnesses.isEmpty()) {
                throw new Usage("give the witnesses' keys (--witness-key), or --min-witnesses 0 to accept a "
                        + "checkpoint that only the log itself vouches for");
            }
            PublicKey manifestKey = opts.containsKey("manifest-key")
                    ? ed25519Key(textValue("manifest-key", opts.get("manifest-key").get(0)))
                    : null;
            List<NoteKey> nodeKeys = new ArrayList<>();
            for (String n : opts.getOrDefault("node-key", List.of())) {
                nodeKeys.add(NoteKey.parse(textValue("node-key", n).trim()));
            }

            String text;
            try {
                text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            }
            catch (Exception ex) {
                throw new Usage("cannot read the bundle " + file + ": " + ex);
            }
            Map<String, Object> bundle = object(Json.parse(text), "the bundle");
            if (!(bundle.get("bundleVersion") instanceof Json.Num)
                    || !String.valueOf(VERSION).equals(bundle.get("bundleVersion").toString())) {
                throw new Usage("not a proof bundle of version " + VERSION + " (bundleVersion "
                        + bundle.get("bundleVersion") + ")");
            }
            return check(bundle, logKey, witnesses, minWitnesses, manifestKey, nodeKeys);
        }

        static String check(Map<String, Object> bundle, NoteKey logKey, List<NoteKey> witnesses, int minWitnesses,
                PublicKey manifestKey, List<NoteKey> nodeKeys) {
            StringBuilder out = new StringBuilder();
            Object exchangeField = bundle.get("exchangeId");
            if (!(exchangeField instanceof String)) {
                throw new Invalid("the bundle names no exchangeId");
            }
            String exchangeId = (String) exchangeField;
            if (!(bundle.get("checkpoint") instanceof String)) {
                throw new Invalid("the bundle holds no checkpoint");
            }

            // 1. The checkpoint: the log's signature, then the witnesses' cosignatures over the same text.
            Checkpoint checkpoint = Checkpoint.open((String) bundle.get("checkpoint"), logKey);
            out.append("checkpoint of ").append(checkpoint.origin).append(" at tree size ").append(checkpoint.size)
                    .append(", root ").append(hex(checkpoint.root)).append(", signed by the log key ")
                    .append(logKey.name).append("+").append(hex(logKey.id)).append('\n');
            List<String> cosigned = cosignatures(checkpoint, witnesses);
            if (cosigned.size() < minWitnesses) {
                throw new Invalid("the checkpoint is cosigned by " + cosigned.size() + " of the " + witnesses.size()
                        + " trusted witnesses" + (cosigned.isEmpty() ? "" : " (" + String.join("; ", cosigned) + ")")
                        + ", " + minWitnesses + " required");
            }
            if (witnesses.isEmpty()) {
                out.append("witnessed by nobody: no witness key was given (--min-witnesses 0), so only the log's "
                        + "own key vouches that this is the one history everyone is shown\n");
            }
            else {
                out.append("cosigned by ").append(cosigned.size()).append(" of ").append(witnesses.size())
                        .append(" trusted witnesses (").append(minWitnesses).append(" required):\n");
                for (String c : cosigned) {
                    out.append("  ").append(c).append('\n');
                }
            }

            // 2. The entries, each from its canonical bytes, and each one's inclusion proof against that root.
            List<Entry> entries = entries(bundle, exchangeId);
            Map<Long, Map<String, Object>> proofs = proofs(bundle);
            if (proofs.size() != entries.size()) {
                throw new Invalid("the bundle holds " + entries.size() + " entries but " + proofs.size() + " proofs");
            }
            out.append(entries.size()).append(" audit entries of exchange ").append(exchangeId)
                    .append(" are in that tree:\n");
            for (Entry entry : entries) {
                Map<String, Object> proof = proofs.get(entry.leafIndex);
                if (proof == null) {
                    throw new Invalid("no inclusion proof for the entry at leaf " + entry.leafIndex);
                }
                long treeSize = number(proof, "treeSize");
                if (treeSize != checkpoint.size) {
                    throw new Invalid("the proof of leaf " + entry.leafIndex + " is for tree size " + treeSize
                            + " but the checkpoint signs size " + checkpoint.size);
                }
                byte[] root = rootFromInclusionProof(entry.leafIndex, treeSize, leafHash(entry.canonical),
                        base64Hashes(proof, "inclusionPath"));
                if (root == null || !Arrays.equals(root, checkpoint.root)) {
                    throw new Invalid("entry seq " + entry.hashed.get("seq") + " (leaf " + entry.leafIndex + ", "
                            + entry.type() + "): its bytes and audit path do not lead to the signed root");
                }
                out.append("  leaf ").append(entry.leafIndex).append("  seq ").append(entry.hashed.get("seq"))
                        .append("  ").append(entry.type()).append("  occurred ").append(entry.hashed.get("occurredAt"))
                        .append("  recorded ").append(entry.hashed.get("recordedAt"))
                        .append("  ").append(entry.hashed.get("fromAgency")).append(" -> ")
                        .append(entry.hashed.get("toAgency")).append('\n');
            }
            if (bundle.get("pendingEntries") instanceof Json.Num && number(bundle, "pendingEntries") > 0) {
                out.append("  (").append(bundle.get("pendingEntries")).append(" later entries of the exchange were "
                        + "recorded after this checkpoint and are not in this bundle)\n");
            }

            // 3. The sealed manifest: its digest is the one the log recorded at sealing, its items the added ones.
            Object manifest = bundle.get("manifest");
            if (manifest != null) {
                out.append(manifest(object(manifest, "manifest"), entries, exchangeId, manifestKey));
            }
            else if (manifestKey != null) {
                throw new Invalid("--manifest-key was given but the bundle holds no manifest");
            }

            // 4. Delivery evidences, signed notes by the nodes of the two regions.
            Object evidences = bundle.get("deliveryEvidences");
            if (evidences instanceof List && !((List<?>) evidences).isEmpty()) {
                out.append(deliveryEvidences((List<?>) evidences, exchangeId, nodeKeys));
            }
            else if (!nodeKeys.isEmpty()) {
                throw new Invalid("--node-key was given but the bundle holds no delivery evidences");
            }
            return "the bundle of exchange " + exchangeId + " holds\n" + out.toString().stripTrailing();
        }

        /**
         * C2SP tlog-cosignature/v1 (Ed25519): a signature line {@code — <witness name> base64(key id || timestamp ||
         * signature)}, key id = SHA-256(name || 0x0A || 0x04 || key)[:4], the 8-byte big-endian POSIX timestamp,
         * and the signature over "cosignature/v1\ntime <timestamp>\n" followed by the checkpoint's text. A line under
         * a trusted witness's name and key id that does not verify is a forgery, not a missing cosignature.
         */
        static List<String> cosignatures(Checkpoint checkpoint, List<NoteKey> witnesses) {
            List<String> valid = new ArrayList<>();
            for (NoteKey witness : witnesses) {
                String prefix = "\u2014 " + witness.name + " ";
                Long cosignedAt = null;
                for (String line : checkpoint.signatureLines) {
                    if (!line.startsWith(prefix)) {
                        continue;
                    }
                    byte[] blob;
                    try {
                        blob = Base64.getDecoder().decode(line.substring(prefix.length()));
                    }
                    catch (IllegalArgumentException ex) {
                        throw new Invalid("the cosignature line of " + witness.name + " is not base64");
                    }
                    if (blob.length < 4 || !Arrays.equals(Arrays.copyOf(blob, 4), witness.id)) {
                        continue; // another key of that name, or another signature type: not ours to judge
                    }
                    if (blob.length != 4 + 8 + 64) {
                        throw new Invalid("the cosignature of " + witness.name + " is " + blob.length
                                + " bytes, not key id, timestamp and an Ed25519 signature (76)");
                    }
                    long timestamp = 0;
                    for (int i = 4; i < 12; i++) {
                        timestamp = (timestamp << 8) | (blob[i] & 0xff);
                    }
                    if (timestamp < 0) {
                        throw new Invalid("the cosignature of " + witness.name + " has a timestamp above 2^63-1");
                    }
                    String message = "cosignature/v1\ntime " + timestamp + "\n" + checkpoint.text;
                    if (!ed25519(witness.key, message.getBytes(StandardCharsets.UTF_8),
                            Arrays.copyOfRange(blob, 12, 76))) {
                        throw new Invalid("the cosignature of " + witness.name + "+" + hex(witness.id)
                                + " does not verify over this checkpoint");
                    }
                    cosignedAt = timestamp;
                }
                if (cosignedAt != null) {
                    valid.add(witness.name + "+" + hex(witness.id) + " at "
                            + java.time.Instant.ofEpochSecond(cosignedAt) + " (" + cosignedAt + ")");
                }
            }
            return valid;
        }

        static List<Entry> entries(Map<String, Object> bundle, String exchangeId) {
            Object list = bundle.get("entries");
            if (!(list instanceof List) || ((List<?>) list).isEmpty()) {
                throw new Invalid("the bundle holds no entries");
            }
            List<Entry> entries = new ArrayList<>();
            Map<Long, Boolean> seen = new HashMap<>();
            for (Object item : (List<?>) list) {
                Map<String, Object> e = object(item, "an entry");
                long leafIndex = number(e, "leafIndex");
                if (seen.put(leafIndex, Boolean.TRUE) != null) {
                    throw new Invalid("two entries at leaf " + leafIndex);
                }
                if (!(e.get("canonical") instanceof String)) {
                    throw new Invalid("the entry at leaf " + leafIndex + " has no canonical bytes");
                }
                byte[] canonical;
                try {
                    canonical = Base64.getDecoder().decode((String) e.get("canonical"));
                }
                catch (IllegalArgumentException ex) {
                    throw new Invalid("the canonical bytes of the entry at leaf " + leafIndex + " are not base64");
                }
                Map<String, Object> hashed;
                try {
                    hashed = object(Json.parse(new String(canonical, StandardCharsets.UTF_8)), "canonical bytes");
                }
                catch (Usage ex) {
                    throw new Invalid("the canonical bytes of the entry at leaf " + leafIndex
                            + " are not a JSON object");
                }
                if (!exchangeId.equals(hashed.get("exchangeId"))) {
                    throw new Invalid("the entry at leaf " + leafIndex + " is of exchange " + hashed.get("exchangeId")
                            + ", not " + exchangeId);
                }
                if (e.containsKey("seq") && !same(e.get("seq"), hashed.get("seq"))) {
                    throw new Invalid("the entry at leaf " + leafIndex + " says seq " + e.get("seq")
                            + ", its canonical bytes say " + hashed.get("seq"));
                }
                entries.add(new Entry(leafIndex, canonical, hashed));
            }
            return entries;
        }

        static Map<Long, Map<String, Object>> proofs(Map<String, Object> bundle) {
            Object list = bundle.get("proofs");
            if (!(list instanceof List)) {
                throw new Invalid("the bundle holds no proofs");
            }
            Map<Long, Map<String, Object>> proofs = new HashMap<>();
            for (Object item : (List<?>) list) {
                Map<String, Object> proof = object(item, "a proof");
                if (proofs.put(number(proof, "leafIndex"), proof) != null) {
                    throw new Invalid("two proofs for leaf " + proof.get("leafIndex"));
                }
            }
            return proofs;
        }

        static String manifest(Map<String, Object> manifest, List<Entry> entries, String exchangeId,
                PublicKey manifestKey) {
            StringBuilder out = new StringBuilder();
            if (!(manifest.get("canonical") instanceof String)) {
                throw new Invalid("the manifest has no canonical text");
            }
            byte[] canonical = ((String) manifest.get("canonical")).getBytes(StandardCharsets.UTF_8);
            String digest = hex(sha256().digest(canonical));
            if (manifest.get("sha256") != null && !digest.equals(manifest.get("sha256"))) {
                throw new Invalid("the manifest's canonical text hashes to " + digest + ", not its sha256 "
                        + manifest.get("sha256"));
            }
            Map<String, Object> body;
            try {
                body = object(Json.parse(new String(canonical, StandardCharsets.UTF_8)), "manifest");
            }
            catch (Usage ex) {
                throw new Invalid("the manifest's canonical text is not a JSON object");
            }
            if (!exchangeId.equals(body.get("packageId"))) {
                throw new Invalid("the manifest is of package " + body.get("packageId") + ", not " + exchangeId);
            }
            // The log recorded the digest of the manifest when the package was sealed.
            Entry sealed = null;
            for (Entry e : entries) {
                if (SEALED.equals(e.type())) {
                    sealed = e;
                }
            }
            if (sealed == null) {
                throw new Invalid("the manifest is in the bundle but no " + SEALED + " entry anchors it in the log");
            }
            if (!digest.equals(sealed.data().get("manifestSha256"))) {
                throw new Invalid("the manifest hashes to " + digest + " but the log recorded "
                        + sealed.data().get("manifestSha256") + " when the package was sealed (seq "
                        + sealed.hashed.get("seq") + ")");
            }
            if (!same(body.get("fromAgency"), sealed.hashed.get("fromAgency"))
                    || !same(body.get("toAgency"), sealed.hashed.get("toAgency"))) {
                throw new Invalid("the manifest's agencies are not those of the sealed entry");
            }
            // Each item's digest is the one the log recorded when it was added (the last addition of its name).
            Map<String, Entry> added = new HashMap<>();
            for (Entry e : entries) {
                if (ITEM_ADDED.equals(e.type()) && e.data().get("name") instanceof String) {
                    added.put((String) e.data().get("name"), e);
                }
            }
            if (!(body.get("items") instanceof List)) {
                throw new Invalid("the manifest lists no items");
            }
            List<?> items = (List<?>) body.get("items");
            for (Object i : items) {
                Map<String, Object> item = object(i, "a manifest item");
                Entry addition = added.get(String.valueOf(item.get("name")));
                if (addition == null) {
                    throw new Invalid("the manifest's item " + item.get("name") + " was never added in the log");
                }
                if (!same(item.get("sha256"), addition.data().get("sha256"))
                        || !same(item.get("size"), addition.data().get("size"))) {
                    throw new Invalid("the manifest's item " + item.get("name") + " has digest " + item.get("sha256")
                            + " (" + item.get("size") + " bytes), the log recorded " + addition.data().get("sha256")
                            + " (" + addition.data().get("size") + " bytes) at seq " + addition.hashed.get("seq"));
                }
            }
            out.append("the sealed evidence manifest (sha256 ").append(digest).append(", sealed ")
                    .append(body.get("sealedAt")).append(") is the one recorded at seq ").append(sealed.hashed.get("seq"))
                    .append(", and its ").append(items.size()).append(" item digests are those recorded when the items "
                            + "were added:\n");
            for (Object i : items) {
                Map<String, Object> item = object(i, "a manifest item");
                out.append("  ").append(item.get("name")).append("  ").append(item.get("size"))
                        .append(" bytes  sha256 ").append(item.get("sha256")).append('\n');
            }
            if (manifestKey != null) {
                byte[] signature;
                try {
                    signature = Base64.getDecoder().decode(String.valueOf(manifest.get("signature")));
                }
                catch (IllegalArgumentException ex) {
                    throw new Invalid("the manifest's signature is not base64");
                }
                if (!ed25519(manifestKey, canonical, signature)) {
                    throw new Invalid("the manifest's signature does not verify with the evidence key given");
                }
                out.append("the manifest's signature verifies with the evidence signing key given (--manifest-key)\n");
            }
            else {
                out.append("the manifest's signature was NOT checked (no --manifest-key)\n");
            }
            return out.toString();
        }

        static String deliveryEvidences(List<?> evidences, String exchangeId, List<NoteKey> nodeKeys) {
            StringBuilder out = new StringBuilder();
            if (nodeKeys.isEmpty()) {
                return evidences.size() + " delivery evidences were NOT checked (no --node-key)\n";
            }
            out.append(evidences.size()).append(" delivery evidences, each signed by its issuing node:\n");
            for (Object item : evidences) {
                Map<String, Object> evidence = object(item, "a delivery evidence");
                Object issuer = evidence.get("issuer");
                NoteKey key = null;
                for (NoteKey k : nodeKeys) {
                    if (k.name.equals(issuer)) {
                        key = k;
                    }
                }
                if (key == null) {
                    throw new Invalid("no --node-key for " + issuer + ", the issuer of a delivery evidence");
                }
                if (!(evidence.get("note") instanceof String)) {
                    throw new Invalid("a delivery evidence of " + issuer + " has no note");
                }
                String text = signedText((String) evidence.get("note"), key);
                String[] lines = text.split("\n");
                Map<String, String> fields = new HashMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int space = lines[i].indexOf(' ');
                    if (space > 0) {
                        fields.put(lines[i].substring(0, space), lines[i].substring(space + 1));
                    }
                }
                if (lines.length != 6 || !DELIVERY_HEADER.equals(lines[0])) {
                    throw new Invalid("a note of " + issuer + " is not a delivery evidence");
                }
                if (!exchangeId.equals(fields.get("exchange")) || !key.name.equals(fields.get("issuer"))
                        || !same(evidence.get("type"), fields.get("type"))
                        || !same(evidence.get("time"), fields.get("time"))) {
                    throw new Invalid("the delivery evidence " + evidence.get("type") + " of " + issuer
                            + " differs from its signed text (exchange, issuer, type or time)");
                }
                out.append("  ").append(fields.get("type")).append(" by ").append(issuer).append(" at ")
                        .append(fields.get("time")).append(", content ").append(fields.get("content")).append('\n');
            }
            return out.toString();
        }

        /** The text of a signed note after checking its Ed25519 signature line by {@code key}. */
        static String signedText(String note, NoteKey key) {
            int split = note.lastIndexOf("\n\n");
            if (split < 0) {
                throw new Invalid("not a signed note (no blank line before the signatures)");
            }
            String text = note.substring(0, split + 1);
            String prefix = "\u2014 " + key.name + " ";
            for (String line : note.substring(split + 2).split("\n")) {
                if (!line.startsWith(prefix)) {
                    continue;
                }
                byte[] blob;
                try {
                    blob = Base64.getDecoder().decode(line.substring(prefix.length()));
                }
                catch (IllegalArgumentException ex) {
                    continue;
                }
                if (blob.length == 68 && Arrays.equals(Arrays.copyOf(blob, 4), key.id)) {
                    if (!ed25519(key.key, text.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(blob, 4, 68))) {
                        throw new Invalid("the note's signature by " + key.name + " does not verify");
                    }
                    return text;
                }
            }
            throw new Invalid("the note carries no signature by " + key.name + "+" + hex(key.id));
        }

        static List<byte[]> base64Hashes(Map<String, Object> proof, String field) {
            Object value = proof.get(field);
            if (!(value instanceof List)) {
                throw new Invalid(field + " is missing");
            }
            List<byte[]> out = new ArrayList<>();
            for (Object item : (List<?>) value) {
                byte[] hash;
                try {
                    hash = item instanceof String ? Base64.getDecoder().decode((String) item) : null;
                }
                catch (IllegalArgumentException ex) {
                    hash = null;
                }
                if (hash == null || hash.length != 32) {
                    throw new Invalid(field + " holds something that is not a base64 SHA-256 hash");
                }
                out.add(hash);
            }
            return out;
        }

        /** An Ed25519 public key: PEM (SubjectPublicKeyInfo), its base64 DER, or the signing-key JSON. */
        static PublicKey ed25519Key(String value) {
            String text = value.trim();
            if (text.startsWith("{")) {
                Object pem = object(Json.parse(text), "--manifest-key").get("publicKeyPem");
                if (!(pem instanceof String)) {
                    throw new Usage("--manifest-key is JSON without publicKeyPem");
                }
                text = ((String) pem).trim();
            }
            text = text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            try {
                return KeyFactory.getInstance("Ed25519").generatePublic(
                        new X509EncodedKeySpec(Base64.getDecoder().decode(text)));
            }
            catch (Exception ex) {
                throw new Usage("--manifest-key is not an Ed25519 public key (PEM or base64 DER): " + ex.getMessage());
            }
        }

        static boolean ed25519(PublicKey key, byte[] message, byte[] signature) {
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(key);
                verifier.update(message);
                return verifier.verify(signature);
            }
            catch (Exception ex) {
                return false;
            }
        }
    }

    // ---- RFC 9162 §2.1.3.2 and §2.1.4.2 ----------------------------------------------------------------------

    static byte[] rootFromInclusionProof(long leafIndex, long treeSize, byte[] leaf, List<byte[]> path) {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            return null;
        }
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leaf;
        for (byte[] p : path) {
            if (sn == 0) {
                return null;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : null;
    }

    static boolean consistent(long first, long second, byte[] firstHash, byte[] secondHash, List<byte[]> proof) {
        if (first < 1 || first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstHash, secondHash);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstHash);
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return Arrays.equals(fr, firstHash) && Arrays.equals(sr, secondHash) && sn == 0;
    }

    static byte[] leafHash(byte[] entry) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x00);
        sha.update(entry);
        return sha.digest();
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = sha256();
        sha.update((byte) 0x01);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    // ---- C2SP signed-note and tlog-checkpoint ----------------------------------------------------------------

    /** A note verifier key: name+hex(key id)+base64(0x01 || Ed25519 public key). */
    static final class NoteKey {
        final String name;
        final byte[] id;
        final PublicKey key;

        private NoteKey(String name, byte[] id, PublicKey key) {
            this.name = name;
            this.id = id;
            this.key = key;
        }

        static NoteKey parse(String vkey) {
            return parse(vkey, (byte) 0x01, "note verifier key");
        }

        /**
         * A verifier key of signature type {@code type}: 0x01 a signed-note Ed25519 key (the log's, a node's), 0x04 a
         * C2SP tlog-cosignature/v1 Ed25519 witness key. The key id is SHA-256(name || 0x0A || type || key)[:4].
         */
        static NoteKey parse(String vkey, byte type, String what) {
            int first = vkey.indexOf('+');
            int second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
            if (first <= 0 || second < 0) {
                throw new Usage("not a " + what + " (name+keyid+key): " + vkey);
            }
            String name = vkey.substring(0, first);
            String idHex = vkey.substring(first + 1, second);
            byte[] typed;
            try {
                typed = Base64.getDecoder().decode(vkey.substring(second + 1));
            }
            catch (IllegalArgumentException ex) {
                throw new Usage("the verifier key's key material is not base64");
            }
            if (idHex.length() != 8 || typed.length != 33 || typed[0] != type) {
                throw new Usage("not an Ed25519 " + what + " (signature type 0x" + String.format("%02x", type)
                        + "): " + vkey);
            }
            byte[] raw = Arrays.copyOfRange(typed, 1, 33);
            MessageDigest sha = sha256();
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(typed);
            byte[] id = Arrays.copyOf(sha.digest(), 4);
            if (!hex(id).equals(idHex.toLowerCase())) {
                throw new Usage("the " + what + "'s id does not match its name and key: " + vkey);
            }
            try {
                // X.509 SubjectPublicKeyInfo for Ed25519: fixed 12-byte prefix, then the raw key.
                byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100");
                byte[] der = Arrays.copyOf(spki, 44);
                System.arraycopy(raw, 0, der, 12, 32);
                PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
                return new NoteKey(name, id, key);
            }
            catch (Exception ex) {
                throw new Usage("not an Ed25519 public key: " + ex.getMessage());
            }
        }
    }

    static final class Checkpoint {
        final String origin;
        final long size;
        final byte[] root;
        /** The signed text (the note body up to and including its last newline, no signature lines). */
        final String text;
        /** Every signature line under the text: the log's, witnesses' cosignatures, others (SM2 ...). */
        final List<String> signatureLines;

        private Checkpoint(String origin, long size, byte[] root, String text, List<String> signatureLines) {
            this.origin = origin;
            this.size = size;
            this.root = root;
            this.text = text;
            this.signatureLines = signatureLines;
        }

        /** Verifies the note's signature by the key and parses its text as a tlog-checkpoint. */
        static Checkpoint open(String note, NoteKey key) {
            int split = note.lastIndexOf("\n\n");
            if (split < 0) {
                throw new Invalid("the checkpoint is not a signed note (no blank line before the signatures)");
            }
            String text = note.substring(0, split + 1);
            String[] sigLines = note.substring(split + 2).split("\n", -1);
            boolean signed = false;
            for (String line : sigLines) {
                if (line.isEmpty()) {
                    continue;
                }
                String prefix = "\u2014 " + key.name + " ";
                if (!line.startsWith("\u2014 ")) {
                    throw new Invalid("malformed signature line: " + line);
                }
                if (!line.startsWith(prefix)) {
                    continue;
                }
                byte[] blob;
                try {
                    blob = Base64.getDecoder().decode(line.substring(prefix.length()));
                }
                catch (IllegalArgumentException ex) {
                    throw new Invalid("signature is not base64");
                }
                if (blob.length != 68 || !Arrays.equals(Arrays.copyOf(blob, 4), key.id)) {
                    continue;
                }
                try {
                    Signature verifier = Signature.getInstance("Ed25519");
                    verifier.initVerify(key.key);
                    verifier.update(text.getBytes(StandardCharsets.UTF_8));
                    if (!verifier.verify(Arrays.copyOfRange(blob, 4, 68))) {
                        throw new Invalid("the checkpoint's signature by " + key.name + " does not verify");
                    }
                }
                catch (Invalid ex) {
                    throw ex;
                }
                catch (Exception ex) {
                    throw new Invalid("the checkpoint's signature does not verify: " + ex.getMessage());
                }
                signed = true;
                break;
            }
            if (!signed) {
                throw new Invalid("the checkpoint carries no signature by the key " + key.name + "+" + hex(key.id));
            }
            String[] lines = text.split("\n", -1);
            if (lines.length < 4 || lines[0].isEmpty()) {
                throw new Invalid("the signed text is not a checkpoint (origin, size, root hash)");
            }
            long size;
            byte[] root;
            try {
                if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
                    throw new NumberFormatException();
                }
                size = Long.parseLong(lines[1]);
                root = Base64.getDecoder().decode(lines[2]);
            }
            catch (IllegalArgumentException ex) {
                throw new Invalid("the checkpoint's size or root hash is malformed");
            }
            if (root.length != 32) {
                throw new Invalid("the checkpoint's root hash is not 32 bytes");
            }
            List<String> signatures = new ArrayList<>();
            for (String line : sigLines) {
                if (!line.isEmpty()) {
                    signatures.add(line);
                }
            }
            return new Checkpoint(lines[0], size, root, text, signatures);
        }
    }

    // ---- input ------------------------------------------------------------------------------------------------

    /**
     * The option's value: the content of the file it names, or the value itself when it is the text (the key
     * inline, a note of several lines, JSON). Anything else is taken for a file name, and a missing file is unusable
     * input, not a checkpoint or proof that fails to verify.
     */
    static String textArg(Map<String, String> opts, String name) {
        String value = opts.get(name);
        if (value == null) {
            throw new Usage("--" + name + " is required");
        }
        return textValue(name, value);
    }

    static String textValue(String name, String value) {
        if (value.length() >= 4096) {
            return value;
        }
        Path path;
        try {
            path = Path.of(value);
        }
        catch (InvalidPathException ex) {
            path = null;
        }
        if (path != null && Files.exists(path)) {
            try {
                return Files.readString(path, StandardCharsets.UTF_8);
            }
            catch (Exception ex) {
                throw new Usage("cannot read --" + name + " " + value + ": " + ex);
            }
        }
        String trimmed = value.trim();
        boolean inline = value.contains("\n") || trimmed.startsWith("{") || trimmed.startsWith("[")
                || (name.endsWith("key") && value.indexOf('+') > 0) || value.startsWith("-----BEGIN");
        if (!inline) {
            throw new Usage("cannot read --" + name + " " + value + ": no such file");
        }
        return value;
    }

    /** A checkpoint note, given as the note itself or as the tree-head JSON that carries it. */
    static String checkpointText(Map<String, String> opts, String name) {
        String text = textArg(opts, name);
        if (text.trim().startsWith("{")) {
            Object checkpoint = object(Json.parse(text), name).get("checkpoint");
            if (!(checkpoint instanceof String)) {
                throw new Usage("--" + name + " is JSON without a checkpoint field");
            }
            return (String) checkpoint;
        }
        return text;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> entryObject(Object parsed) {
        Map<String, Object> entry = object(parsed, "entry");
        if (entry.get("items") instanceof List) {
            List<Object> items = (List<Object>) entry.get("items");
            if (items.size() != 1) {
                throw new Usage("--entry holds a page of " + items.size() + " entries; give exactly one");
            }
            return object(items.get(0), "entry");
        }
        return entry;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new Usage(what + " is not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    static long number(Map<String, Object> object, String field) {
        Object value = object.get(field);
        if (value instanceof Json.Num) {
            try {
                return Long.parseLong(((Json.Num) value).text);
            }
            catch (NumberFormatException ex) {
                throw new Invalid(field + " is not a whole number");
            }
        }
        throw new Invalid(field + " is missing or not a number");
    }

    static List<byte[]> hashes(Map<String, Object> proof, String field) {
        Object value = proof.get(field);
        if (!(value instanceof List)) {
            throw new Invalid(field + " is missing");
        }
        List<byte[]> out = new ArrayList<>();
        for (Object item : (List<?>) value) {
            if (!(item instanceof String) || !((String) item).matches("[0-9a-f]{64}")) {
                throw new Invalid(field + " holds something that is not a SHA-256 hash in lowercase hex");
            }
            out.add(HexFormat.of().parseHex((String) item));
        }
        return out;
    }

    /** JSON values compared by meaning: numbers by value, objects regardless of member order. */
    static boolean same(Object a, Object b) {
        if (a instanceof Json.Num && b instanceof Json.Num) {
            return new java.math.BigDecimal(((Json.Num) a).text).compareTo(
                    new java.math.BigDecimal(((Json.Num) b).text)) == 0;
        }
        if (a instanceof Map && b instanceof Map) {
            Map<?, ?> ma = (Map<?, ?>) a;
            Map<?, ?> mb = (Map<?, ?>) b;
            if (!ma.keySet().equals(mb.keySet())) {
                return false;
            }
            for (Object k : ma.keySet()) {
                if (!same(ma.get(k), mb.get(k))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List && b instanceof List) {
            List<?> la = (List<?>) a;
            List<?> lb = (List<?>) b;
            if (la.size() != lb.size()) {
                return false;
            }
            for (int i = 0; i < la.size(); i++) {
                if (!same(la.get(i), lb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message);
        }
    }

    /** A minimal strict JSON reader: objects, arrays, strings, numbers (kept as text), true, false, null. */
    static final class Json {

        static final class Num {
            final String text;

            Num(String text) {
                this.text = text;
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof Num && ((Num) o).text.equals(text);
            }

            @Override
            public int hashCode() {
                return text.hashCode();
            }

            @Override
            public String toString() {
                return text;
            }
        }

        /**
         * At least as deep as the services' Jackson accepts (an entry's data is the producer's), shallow enough that a
         * crafted file cannot overflow the stack.
         */
        private static final int MAX_DEPTH = 1000;

        private final String s;
        private int i;
        private int depth;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json json = new Json(text);
            json.ws();
            Object value = json.value();
            json.ws();
            if (json.i != text.length()) {
                throw new Usage("malformed JSON: trailing characters at " + json.i);
            }
            return value;
        }

        private Object value() {
            if (i >= s.length()) {
                throw new Usage("malformed JSON: unexpected end");
            }
            char c = s.charAt(i);
            if ((c == '{' || c == '[') && ++depth > MAX_DEPTH) {
                throw new Usage("malformed JSON: nested deeper than " + MAX_DEPTH + " at " + i);
            }
            if (c == '{') {
                i++;
                Map<String, Object> map = new LinkedHashMap<>();
                ws();
                if (peek() == '}') {
                    i++;
                    depth--;
                    return map;
                }
                while (true) {
                    ws();
                    String key = string();
                    ws();
                    expect(':');
                    ws();
                    map.put(key, value());
                    ws();
                    char d = next();
                    if (d == '}') {
                        depth--;
                        return map;
                    }
                    if (d != ',') {
                        throw new Usage("malformed JSON at " + i);
                    }
                }
            }
            if (c == '[') {
                i++;
                List<Object> list = new ArrayList<>();
                ws();
                if (peek() == ']') {
                    i++;
                    depth--;
                    return list;
                }
                while (true) {
                    ws();
                    list.add(value());
                    ws();
                    char d = next();
                    if (d == ']') {
                        depth--;
                        return list;
                    }
                    if (d != ',') {
                        throw new Usage("malformed JSON at " + i);
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String number = s.substring(start, i);
            if (!number.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                throw new Usage("malformed JSON at " + start);
            }
            return new Num(number);
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new Usage("malformed JSON: unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'n': out.append('\n'); break;
                    case 'r': out.append('\r'); break;
                    case 't': out.append('\t'); break;
                    case '"': case '\\': case '/': out.append(e); break;
                    case 'u':
                        if (i + 4 > s.length() || !s.substring(i, i + 4).matches("[0-9a-fA-F]{4}")) {
                            throw new Usage("malformed JSON: bad \\u escape at " + i);
                        }
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default: throw new Usage("malformed JSON: bad escape \\" + e + " at " + i);
                }
            }
        }

        private void ws() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private char next() {
            if (i >= s.length()) {
                throw new Usage("malformed JSON: unexpected end");
            }
            return s.charAt(i++);
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw new Usage("malformed JSON: '" + c + "' expected at " + i);
            }
            i++;
        }
    }
}
