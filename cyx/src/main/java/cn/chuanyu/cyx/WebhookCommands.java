package cn.chuanyu.cyx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

import cn.chuanyu.client.WebhookVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "webhook", description = "Webhook deliveries.", mixinStandardHelpOptions = true,
        subcommands = WebhookCommands.Verify.class)
final class WebhookCommands {

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check a delivery's X-Chuanyu-Signature against its raw body and the secret, with a "
                    + "clock-skew window.", "Exit 0 VALID, 1 INVALID."})
    static final class Verify implements Callable<Integer> {
        @Option(names = "--secret", required = true, description = "The secret the registration returned.")
        String secret;
        @Option(names = "--header", required = true, description = "The header's value: t=...,v1=...")
        String header;
        @Option(names = "--body", required = true, paramLabel = "FILE", description = "The raw body as received.")
        Path body;
        @Option(names = "--skew", defaultValue = "300", description = "Seconds either way (default 300).")
        long skew;

        @Override
        public Integer call() throws Exception {
            String value = header.regionMatches(true, 0, WebhookVerifier.HEADER + ":", 0, WebhookVerifier.HEADER.length() + 1)
                    ? header.substring(WebhookVerifier.HEADER.length() + 1).strip() : header;
            try {
                new WebhookVerifier(secret, Duration.ofSeconds(skew), Clock.systemUTC())
                        .verify(value, Files.readAllBytes(body));
                Output.OUT.println("VALID: signed with this secret, timestamp within " + skew + " s");
                return Cyx.OK;
            }
            catch (WebhookVerifier.Rejected ex) {
                Output.OUT.println("INVALID: " + ex.getMessage());
                return Cyx.INVALID;
            }
        }
    }
}
