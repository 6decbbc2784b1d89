package cn.chuanyu.cyx;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import cn.chuanyu.client.WebhookVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class CyxTest {

    static int run(String... args) {
        CommandLine cli = Cyx.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void webhookVerifyExitsZeroForAGoodSignatureAndOneForABadOne(@TempDir Path dir) throws Exception {
        byte[] body = "{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("body.json"), body);
        long now = System.currentTimeMillis() / 1000;
        String header = new WebhookVerifier("s3cret").sign(now, body);

        assertThat(run("webhook", "verify", "--secret", "s3cret", "--header", header, "--body", file.toString()))
                .isEqualTo(Cyx.OK);
        assertThat(run("webhook", "verify", "--secret", "s3cret", "--header", "X-Chuanyu-Signature: " + header,
                "--body", file.toString())).isEqualTo(Cyx.OK);
        assertThat(run("webhook", "verify", "--secret", "other", "--header", header, "--body", file.toString()))
                .isEqualTo(Cyx.INVALID);
        String old = new WebhookVerifier("s3cret").sign(now - 3600, body);
        assertThat(run("webhook", "verify", "--secret", "s3cret", "--header", old, "--body", file.toString()))
                .isEqualTo(Cyx.INVALID);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThat(run("transfers", "show", "not-a-uuid")).isEqualTo(Cyx.USAGE);
        assertThat(run("transfers", "submit", "--to", "x")).isEqualTo(Cyx.USAGE);
        assertThat(run("no-such-command")).isEqualTo(Cyx.USAGE);
        assertThat(run("--help")).isEqualTo(Cyx.OK);
    }
}
