package cn.chuanyu.witness.cosign;

import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import cn.chuanyu.kit.crypto.SignatureSuite;
import cn.chuanyu.kit.tlog.Sm2Cosignature;
import cn.chuanyu.kit.web.InvalidParameterException;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The C2SP tlog-witness HTTP interface, with the submission prefix {@code /api/v1/witness}. Bodies are text, as the
 * spec has them; there is no authentication beyond the log's signature on the checkpoint (the spec's design).
 */
@RestController
class AddCheckpointController {

    /** A request is a few lines and one checkpoint: anything much larger is not one. */
    static final int MAX_BODY = 64 * 1024;

    private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);
    private static final MediaType TLOG_SIZE = new MediaType("text", "x.tlog.size");

    private final Witness witness;

    AddCheckpointController(Witness witness) {
        this.witness = witness;
    }

    @PostMapping("/api/v1/witness/add-checkpoint")
    ResponseEntity<String> addCheckpoint(@RequestBody(required = false) byte[] body) {
        if (body == null || body.length > MAX_BODY) {
            return text(HttpStatus.BAD_REQUEST, "the body must be an add-checkpoint request of at most " + MAX_BODY
                    + " bytes\n");
        }
        Witness.Outcome outcome = witness.addCheckpoint(new String(body, StandardCharsets.UTF_8));
        return ResponseEntity.status(outcome.status()).contentType(outcome.status() == 409 ? TLOG_SIZE : TEXT)
                .body(outcome.body());
    }

    /**
     * The cosigner verifier key: {@code <name>+<hex key id>+<base64(0x04 || Ed25519 public key)>}; with
     * {@code suite=sm2} the SM2 public key as PEM (SubjectPublicKeyInfo), which checks the SM2 cosignature line (404
     * while the SM2 suite is off). The kit's problem handlers are off in the witness, so a bad suite is a text 400.
     */
    @GetMapping("/api/v1/witness/public-key")
    ResponseEntity<String> publicKey(@RequestParam(name = SignatureSuite.PARAMETER, required = false) String suite) {
        SignatureSuite chosen;
        try {
            chosen = SignatureSuite.ofParameter(suite);
        }
        catch (InvalidParameterException ex) {
            return text(HttpStatus.BAD_REQUEST, ex.parameter() + ": " + ex.getMessage() + "\n");
        }
        return switch (chosen) {
            case ED25519 -> text(HttpStatus.OK, witness.signer().verifierKey() + "\n");
            case SM2 -> witness.sm2().map(Sm2Cosignature::publicKeyPem).map(pem -> text(HttpStatus.OK, pem))
                    .orElseGet(() -> text(HttpStatus.NOT_FOUND, "the witness has no SM2 key: the SM2 suite is off "
                            + "(chuanyu.crypto.sm2.enabled)\n"));
        };
    }

    private static ResponseEntity<String> text(HttpStatus status, String body) {
        return ResponseEntity.status(status).contentType(TEXT).body(body);
    }
}
