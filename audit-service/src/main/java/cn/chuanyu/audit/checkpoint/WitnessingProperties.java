package cn.chuanyu.audit.checkpoint;

import java.time.Duration;
import java.util.List;

import cn.chuanyu.kit.tlog.CosignatureVerifier;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The witnesses of the log ({@code chuanyu.audit.witnesses}, {@code chuanyu.audit.witness-policy.*}). Without
 * witnesses the log publishes its own signed checkpoints, as before witnesses existed.
 *
 * @param witnesses      the C2SP tlog-witnesses to submit checkpoints to
 * @param witnessPolicy  how many cosignatures a published checkpoint needs, and when their absence is an alert
 * @param witnessTimeout how long one call to a witness may take
 */
@ConfigurationProperties("chuanyu.audit")
public record WitnessingProperties(List<WitnessConfig> witnesses, Policy witnessPolicy, Duration witnessTimeout) {

    public WitnessingProperties {
        witnesses = witnesses == null ? List.of() : List.copyOf(witnesses);
        witnessPolicy = witnessPolicy == null ? new Policy(null, null, null) : witnessPolicy;
        witnessTimeout = witnessTimeout == null ? Duration.ofSeconds(5) : witnessTimeout;
        int configured = witnesses.size();
        if (witnessPolicy.minCosignatures() != null
                && (witnessPolicy.minCosignatures() < 0 || witnessPolicy.minCosignatures() > configured)) {
            throw new IllegalArgumentException("chuanyu.audit.witness-policy.min-cosignatures must be between 0 and "
                    + "the number of configured witnesses (" + configured + ")");
        }
    }

    /** The cosignatures a published checkpoint needs: the policy's number, or every configured witness. */
    public int minCosignatures() {
        return witnessPolicy.minCosignatures() == null ? witnesses.size() : witnessPolicy.minCosignatures();
    }

    /**
     * @param minCosignatures cosignatures needed to publish a checkpoint (default: every configured witness)
     * @param alertAfter      the published cosigned checkpoint older than this raises an alert
     * @param refreshAfter    an unchanged head is resubmitted this long after it was last cosigned, so that the
     *                        cosignatures' times (a witness's "as of") stay fresh while the log is quiet
     */
    public record Policy(Integer minCosignatures, Duration alertAfter, Duration refreshAfter) {

        public Policy {
            alertAfter = alertAfter == null ? Duration.ofMinutes(10) : alertAfter;
            refreshAfter = refreshAfter == null ? Duration.ofSeconds(30) : refreshAfter;
        }
    }

    /**
     * One witness. As one string (what {@code CHUANYU_AUDIT_WITNESSES} lists, comma separated):
     * {@code <verifier key>@<url>}, the name being the key's.
     *
     * @param name        its name, the key name of its cosignatures (default: the verifier key's)
     * @param url         its submission prefix, e.g. {@code http://localhost:8084/api/v1/witness}, or its base URL
     *                    (then {@code /api/v1/witness} is added)
     * @param verifierKey {@code <name>+<hex key id>+<base64(0x04 || Ed25519 public key)>}
     */
    public record WitnessConfig(String name, String url, String verifierKey) {

        public WitnessConfig {
            if (url == null || url.isBlank() || verifierKey == null || verifierKey.isBlank()) {
                throw new IllegalArgumentException("chuanyu.audit.witnesses: a witness needs its url and verifier-key");
            }
            CosignatureVerifier verifier = CosignatureVerifier.of(verifierKey); // refuses a bad key at start-up
            name = name == null || name.isBlank() ? verifier.name() : name;
            if (!name.equals(verifier.name())) {
                throw new IllegalArgumentException("chuanyu.audit.witnesses: the witness " + name
                        + " has a verifier key named " + verifier.name());
            }
            url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            url = url.endsWith("/api/v1/witness") ? url : url + "/api/v1/witness";
        }

        static WitnessConfig of(String spec) {
            int at = spec.indexOf('@');
            if (at < 0) {
                throw new IllegalArgumentException("a witness is <verifier key>@<url>: " + spec);
            }
            return new WitnessConfig(null, spec.substring(at + 1).trim(), spec.substring(0, at).trim());
        }
    }
}
