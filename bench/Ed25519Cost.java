import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * CPU per Ed25519 signature and verification of a principal token: the JDK 17 provider against BouncyCastle, in one
 * run (a ratio), single-threaded. java -cp ~/.m2/repository/org/bouncycastle/bcprov-jdk18on/1.87/bcprov-jdk18on-1.87.jar bench/Ed25519Cost.java
 */
public class Ed25519Cost {
    public static void main(String[] args) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] msg = ("cy2|gateway|case-transfer-service|POST|" + java.util.UUID.randomUUID()
                + "|1764650000|1764650030|sc-chengdu-intermediate-court|AGENCY|SC|COURT|/api/v1/case-transfers")
                .getBytes(StandardCharsets.UTF_8);
        byte[] raw = ((java.security.interfaces.EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
        Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(raw, 0);
        byte[] enc = pair.getPublic().getEncoded();
        Ed25519PublicKeyParameters pk = new Ed25519PublicKeyParameters(enc, 12);
        Signature jdkSign = Signature.getInstance("Ed25519");
        byte[] sig = null;
        for (int round = 0; round < 3; round++) {   // the last round counts; the first two warm the JIT
            int n = round < 2 ? 2000 : 5000;
            long t0 = cpu();
            for (int i = 0; i < n; i++) { jdkSign.initSign(pair.getPrivate()); jdkSign.update(msg); sig = jdkSign.sign(); }
            long t1 = cpu();
            Signature v = Signature.getInstance("Ed25519");
            for (int i = 0; i < n; i++) { v.initVerify(pair.getPublic()); v.update(msg); if (!v.verify(sig)) throw new AssertionError(); }
            long t2 = cpu();
            for (int i = 0; i < n; i++) { Ed25519Signer s = new Ed25519Signer(); s.init(true, sk); s.update(msg, 0, msg.length); sig = s.generateSignature(); }
            long t3 = cpu();
            for (int i = 0; i < n; i++) { Ed25519Signer s = new Ed25519Signer(); s.init(false, pk); s.update(msg, 0, msg.length); if (!s.verifySignature(sig)) throw new AssertionError(); }
            long t4 = cpu();
            if (round == 2) {
                System.out.printf("jdk_sign_us=%.1f jdk_verify_us=%.1f bc_sign_us=%.1f bc_verify_us=%.1f verify_ratio=%.2f sign_ratio=%.2f%n",
                        (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, (t3 - t2) / 1e3 / n, (t4 - t3) / 1e3 / n,
                        (double) (t4 - t3) / (t2 - t1), (double) (t3 - t2) / (t1 - t0));
            }
        }
    }
    static long cpu() { return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); }
}
