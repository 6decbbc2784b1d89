package cn.chuanyu.kit.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's OpenSSL 3 as an outside judge of SM2 and SM3: tests hand it the bytes the code made and ask it,
 * not the project's own code, whether a signature verifies or what a digest is.
 */
public final class OpenSsl {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;

    /** {@code dir}: a scratch directory (the test's {@code @TempDir}) for the files openssl reads and writes. */
    public OpenSsl(Path dir) {
        this.dir = dir;
    }

    /** {@code openssl pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:1234567812345678}: true when it says so. */
    public boolean verifySm2(String publicKeyPem, byte[] data, byte[] derSignature) throws IOException {
        Path pub = write("pub.pem", publicKeyPem.getBytes(StandardCharsets.US_ASCII));
        Path in = write("data.bin", data);
        Path sig = write("sig.der", derSignature);
        ChildProcess.Result result = run("pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin",
                "-digest", "sm3", "-pkeyopt", "distid:1234567812345678", "-in", in.toString(), "-sigfile",
                sig.toString());
        if (result.exit() == 0 && !result.output().contains("Signature Verified Successfully")) {
            throw new IllegalStateException("openssl exited 0 without saying it verified: " + result.output());
        }
        return result.exit() == 0;
    }

    /** An SM2 key made by openssl: the PKCS#8 private key PEM followed by its public key PEM. */
    public String newSm2Key() throws IOException {
        Path key = dir.resolve("openssl-sm2.key");
        require(run("genpkey", "-algorithm", "SM2", "-out", key.toString()));
        ChildProcess.Result pub = require(run("pkey", "-in", key.toString(), "-pubout"));
        return Files.readString(key) + pub.output();
    }

    /** The DER SM2 signature openssl makes over {@code data} with {@code privateKeyPem}. */
    public byte[] signSm2(String privateKeyPem, byte[] data) throws IOException {
        Path key = write("sign.key", privateKeyPem.getBytes(StandardCharsets.US_ASCII));
        Path in = write("sign.bin", data);
        Path sig = dir.resolve("openssl.sig");
        require(run("pkeyutl", "-sign", "-inkey", key.toString(), "-rawin", "-digest", "sm3", "-pkeyopt",
                "distid:1234567812345678", "-in", in.toString(), "-out", sig.toString()));
        return Files.readAllBytes(sig);
    }

    /** {@code openssl dgst -sm3 -r}: the lowercase hex SM3 of {@code data}. */
    public String sm3Hex(byte[] data) throws IOException {
        return sm3Hex(write("dgst.bin", data));
    }

    public String sm3Hex(Path file) throws IOException {
        ChildProcess.Result result = require(run("dgst", "-sm3", "-r", file.toString()));
        return result.output().strip().split(" ")[0];
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static ChildProcess.Result run(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        return ChildProcess.run(command, TIMEOUT);
    }

    private static ChildProcess.Result require(ChildProcess.Result result) {
        if (result.exit() != 0) {
            throw new IllegalStateException("openssl failed (" + result.exit() + "): " + result.output());
        }
        return result;
    }
}
