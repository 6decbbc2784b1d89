package cn.chuanyu.audit.checkpoint;

import java.time.Instant;
import java.util.List;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.identity.Caller;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The log's witnesses, their keys and what they last cosigned; every role may read it. */
@RestController
@RequestMapping("/api/v1/audit")
class WitnessController {

    private final Witnessing witnessing;

    WitnessController(Witnessing witnessing) {
        this.witnessing = witnessing;
    }

    /**
     * @param minCosignatures    cosignatures a published checkpoint needs
     * @param alertAfterSeconds  the alert threshold on the published checkpoint's age
     * @param published          the published cosigned checkpoint, null while none is (or without witnesses)
     * @param witnesses          the configured witnesses
     */
    record Witnesses(int minCosignatures, long alertAfterSeconds, Published published, List<Witness> witnesses) {
    }

    /**
     * @param treeSize      its size
     * @param rootHash      its root hash, lowercase hex
     * @param cosignedAt    when the oldest of its counted cosignatures was made
     * @param ageSeconds    seconds since then
     * @param cosignatures  how many cosignatures it carries
     */
    record Published(long treeSize, String rootHash, Instant cosignedAt, long ageSeconds, int cosignatures) {
    }

    /**
     * @param name             the witness's name (key name of its cosignatures)
     * @param verifierKey      {@code <name>+<hex key id>+<base64(0x04 || Ed25519 public key)>}
     * @param lastCosignedSize the size of the last checkpoint it cosigned for this log (since this service started)
     * @param lastCosignedAt   the time in that cosignature
     * @param lastError        why the last submission got no cosignature, if it did not
     * @param refusal          its refusal, while it refuses (a fork or rollback of the log)
     */
    record Witness(String name, String verifierKey, Long lastCosignedSize, Instant lastCosignedAt, String lastError,
            String refusal) {
    }

    @Operation(operationId = "listWitnesses", tags = "Audit proofs", summary = "The log's witnesses",
            description = "The configured C2SP tlog-witnesses with their cosigner verifier keys, the size and time "
                    + "of what each last cosigned, and the published cosigned checkpoint with its age.")
    @GetMapping("/witnesses")
    Witnesses witnesses(Caller caller) {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR, Role.AGENCY);
        Published published = witnessing.published().map(p -> new Published(p.treeSize(), p.rootHash(),
                p.cosignedAt(), (long) witnessing.ageSeconds(), p.cosignatures())).orElse(null);
        return new Witnesses(witnessing.minCosignatures(), witnessing.alertAfter().toSeconds(), published,
                witnessing.witnesses().stream().map(w -> new Witness(w.name(), w.verifierKey(), w.lastCosignedSize(),
                        w.lastCosignedAt(), w.lastError(), w.refusal())).toList());
    }
}
