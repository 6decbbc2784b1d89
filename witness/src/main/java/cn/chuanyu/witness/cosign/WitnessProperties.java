package cn.chuanyu.witness.cosign;

import java.nio.file.Path;
import java.util.List;

import cn.chuanyu.kit.note.NoteVerifier;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the witness ({@code chuanyu.witness.*}).
 *
 * @param name     the cosigner name: key name of its cosignature lines (no spaces, no '+')
 * @param keyFile  its Ed25519 key pair (PEM), made there on first start
 * @param stateDir where the latest cosigned checkpoint of each log is kept
 * @param logs     the logs it witnesses
 */
@ConfigurationProperties("chuanyu.witness")
public record WitnessProperties(String name, String keyFile, String stateDir, List<WitnessedLog> logs) {

    public WitnessProperties {
        name = name == null || name.isBlank() ? "witness.chuanyu.local" : name;
        keyFile = keyFile == null || keyFile.isBlank() ? "var/witness/witness-ed25519.key" : keyFile;
        stateDir = stateDir == null || stateDir.isBlank() ? "var/witness/state" : stateDir;
        logs = logs == null ? List.of() : List.copyOf(logs);
    }

    public Path keyPath() {
        return Path.of(keyFile);
    }

    public Path statePath() {
        return Path.of(stateDir);
    }

    /**
     * A witnessed log: its origin and the signed-note verifier key of its checkpoints. Given as one string (the
     * verifier key alone), the origin is the key's name, which is how this project's log names its key.
     */
    public record WitnessedLog(String origin, String verifierKey) {

        public WitnessedLog {
            if (verifierKey == null || verifierKey.isBlank()) {
                throw new IllegalArgumentException("chuanyu.witness.logs: a log needs its verifier-key");
            }
            NoteVerifier verifier = NoteVerifier.of(verifierKey); // refuses a malformed key at start-up
            origin = origin == null || origin.isBlank() ? verifier.name() : origin;
        }

        public static WitnessedLog of(String verifierKey) {
            return new WitnessedLog(null, verifierKey.trim());
        }
    }
}
