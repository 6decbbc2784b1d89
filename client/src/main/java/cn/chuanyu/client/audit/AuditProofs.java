package cn.chuanyu.client.audit;

/**
 * Offline checks of audit-log proofs. There is one implementation of these rules: the single-file verifier
 * {@code audit-service/verifier/AuditVerifier.java} that {@code bin/chuanyu-verify} runs from source. The build
 * compiles that same file into this package (see client/pom.xml), and these methods call it with the texts the API
 * returned, as the command line would with files.
 */
public final class AuditProofs {

    /** The proof did not check out; the message says why, as {@code chuanyu-verify} prints after INVALID. */
    public static final class InvalidProof extends Exception {
        InvalidProof(String message) {
            super(message);
        }
    }

    private AuditProofs() {
    }

    /**
     * That the entry (its JSON from {@code /audit/entries/{seq}}) is in the log whose signed checkpoint is given,
     * by the inclusion proof's JSON; the key is the note verifier key ({@code /audit/public-key}).
     *
     * @return what was verified, as {@code chuanyu-verify} prints after VALID
     */
    public static String inclusion(String key, String checkpoint, String entryJson, String proofJson)
            throws InvalidProof {
        return run("inclusion", "--key", key, "--checkpoint", checkpoint, "--entry", entryJson, "--proof", proofJson);
    }

    /** That the newer checkpoint's tree extends the older one's, by the consistency proof's JSON. */
    public static String consistency(String key, String oldCheckpoint, String newCheckpoint, String proofJson)
            throws InvalidProof {
        return run("consistency", "--key", key, "--old", oldCheckpoint, "--new", newCheckpoint, "--proof", proofJson);
    }

    /** That the checkpoint is signed by the key. */
    public static String checkpoint(String key, String checkpoint) throws InvalidProof {
        return run("checkpoint", "--key", key, "--checkpoint", checkpoint);
    }

    /**
     * That a proof bundle ({@code /audit/bundles/{exchangeId}}, saved to {@code bundleFile}) holds: the checkpoint
     * signed by {@code logKey} and cosigned by at least {@code minWitnesses} (null: all) of {@code witnessKeys}, each
     * entry included under it, and the sealed manifest anchored in the log (its signature checked when
     * {@code manifestKey}, PEM, is given). Every key from the caller's own configuration, never from the bundle.
     *
     * @return what was proven, as {@code chuanyu-verify verify-bundle} prints after VALID
     */
    public static String bundle(java.nio.file.Path bundleFile, String logKey, java.util.List<String> witnessKeys,
            Integer minWitnesses, String manifestKey) throws InvalidProof {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("verify-bundle",
                bundleFile.toString(), "--log-key", logKey));
        for (String witness : witnessKeys) {
            args.add("--witness-key");
            args.add(witness);
        }
        if (minWitnesses != null) {
            args.add("--min-witnesses");
            args.add(minWitnesses.toString());
        }
        if (manifestKey != null) {
            args.add("--manifest-key");
            args.add(manifestKey);
        }
        return run(args.toArray(String[]::new));
    }

    private static String run(String... args) throws InvalidProof {
        try {
            return AuditVerifier.run(args);
        }
        catch (AuditVerifier.Invalid ex) {
            throw new InvalidProof(ex.getMessage());
        }
        catch (AuditVerifier.Usage ex) {
            // unusable input (malformed JSON, a bad key): not a verdict on the log, but nothing verified either
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
    }
}
