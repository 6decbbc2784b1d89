package cn.chuanyu.audit.checkpoint;

import java.util.Optional;

import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.crypto.SignatureSuite;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.note.Sm2NoteSignature;
import cn.chuanyu.kit.web.ServiceUnavailableException;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Signed tree heads and the key to check them with; every role may read them. */
@RestController
@RequestMapping("/api/v1/audit")
class TreeHeadController {

    private static final String TEXT = MediaType.TEXT_PLAIN_VALUE + ";charset=UTF-8";

    private final TreeHeads heads;
    private final Witnessing witnessing;

    TreeHeadController(TreeHeads heads, Witnessing witnessing) {
        this.heads = heads;
        this.witnessing = witnessing;
    }

    /** {@code ?fresh=true} signs the log as it is at this moment instead of returning the last periodic head. */
    @Operation(operationId = "getTreeHead", tags = "Audit proofs", summary = "The latest signed tree head",
            description = "Tree size, root hash and Ed25519 signature. `fresh=true` signs the log as it is at this "
                    + "moment instead of returning the last periodic head.")
    @GetMapping("/tree-head")
    TreeHead treeHead(Caller caller, @RequestParam(defaultValue = "false") boolean fresh) {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR, Role.AGENCY);
        return fresh ? heads.signNow() : heads.latest();
    }

    /**
     * The same head as a C2SP tlog-checkpoint signed note. With witnesses configured, only the latest checkpoint
     * that carries the policy's number of witness cosignatures is published (the log's signature line, then the
     * cosignature lines): a head no witness has seen is no proof to an outsider.
     */
    @Operation(operationId = "getCheckpoint", tags = "Audit proofs",
            summary = "The latest published checkpoint (C2SP tlog checkpoint, witness-cosigned when configured)",
            description = "A signed note (text/plain). With witnesses configured: the latest checkpoint carrying at "
                    + "least the policy's number of witness cosignatures (C2SP tlog-cosignature lines after the log's "
                    + "signature); 503 until the first one is cosigned. `fresh=true` signs the log now and submits it "
                    + "to the witnesses before answering.")
    @GetMapping(value = "/checkpoint", produces = TEXT)
    String checkpoint(Caller caller, @RequestParam(defaultValue = "false") boolean fresh) {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR, Role.AGENCY);
        if (!witnessing.enabled()) {
            return (fresh ? heads.signNow() : heads.latest()).checkpoint();
        }
        Optional<Witnessing.Published> published = fresh ? witnessing.cosignNow(heads.signNow())
                : witnessing.published();
        return published.map(Witnessing.Published::checkpoint).orElseThrow(() -> new ServiceUnavailableException(
                "witnesses", "no checkpoint has been cosigned by " + witnessing.minCosignatures()
                        + " witness(es) yet; GET /api/v1/audit/witnesses shows why", 5, null));
    }

    /**
     * The note verifier key: {@code <name>+<hex key id>+<base64(0x01 || Ed25519 public key)>}; with
     * {@code suite=sm2} the log's SM2 public key as PEM (SubjectPublicKeyInfo), which checks the checkpoint's SM2 line.
     */
    @Operation(operationId = "getCheckpointKey", tags = "Audit proofs",
            summary = "The key that checks the checkpoints",
            description = "Without `suite` (or `suite=ed25519`): one line, name+hex key id+base64(0x01 followed by "
                    + "the Ed25519 public key). `suite=sm2`: the SM2 public key as a PEM SubjectPublicKeyInfo, for "
                    + "the checkpoint's SM2 signature line (404 while the SM2 suite is off).")
    @GetMapping(value = "/public-key", produces = TEXT)
    String publicKey(Caller caller, @RequestParam(required = false) String suite) {
        caller.requireRole(Role.AUDITOR, Role.OPERATOR, Role.AGENCY);
        return switch (SignatureSuite.ofParameter(suite)) {
            case ED25519 -> heads.signer().verifierKey() + "\n";
            case SM2 -> heads.signer().sm2().map(Sm2NoteSignature::publicKeyPem)
                    .orElseThrow(() -> new NotFoundException("the log has no SM2 key: the SM2 suite is off "
                            + "(chuanyu.crypto.sm2.enabled)"));
        };
    }
}
