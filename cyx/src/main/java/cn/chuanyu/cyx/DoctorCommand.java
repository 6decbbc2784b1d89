package cn.chuanyu.cyx;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import cn.chuanyu.client.ChuanyuClient;
import cn.chuanyu.client.RetryPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Checks the setup: the gateway is reachable, the key is valid and its role, the clock agrees "
                + "with the server's (webhook timestamps depend on it), and the rate-limit headroom; says what to "
                + "fix.", "Exit 0 when all is well, 1 when something needs fixing."})
final class DoctorCommand implements Callable<Integer> {

    @Mixin JsonOption out;

    record Check(String check, String status, String detail, String fix) {
    }

    @Override
    public Integer call() {
        List<Check> checks = new ArrayList<>();
        String gateway = Config.gateway();
        ChuanyuClient client = ChuanyuClient.builder().gateway(gateway).apiKey(Config.apiKey())
                .retry(RetryPolicy.none()).connectTimeout(Duration.ofSeconds(5)).build();
        ChuanyuClient.RawResponse r;
        Instant sent = Instant.now();
        try {
            r = client.get("api/v1/inbox?limit=1");
        }
        catch (UncheckedIOException ex) {
            checks.add(new Check("gateway", "FAIL", gateway + " unreachable: " + ex.getCause().getMessage(),
                    "start the platform (./platform up) or set CYX_GATEWAY / cyx login --gateway"));
            return report(checks);
        }
        Instant received = Instant.now();
        checks.add(new Check("gateway", "OK", gateway + " answered " + r.status() + " in "
                + Duration.between(sent, received).toMillis() + " ms", null));
        switch (r.status()) {
            case 200 -> checks.add(new Check("key", "OK", "valid; role AGENCY (may use every cyx command but audit "
                    + "operations reserved to auditors)", null));
            case 401 -> checks.add(new Check("key", "FAIL", "the gateway does not know this key (401)",
                    "get a key from your operator, then cyx login or CYX_API_KEY"));
            case 403 -> checks.add(new Check("key", "WARN", "valid, but not an agency key (an auditor's or "
                    + "operator's): transfers, inbox and evidence are refused", "use your agency's key for those"));
            default -> checks.add(new Check("key", "FAIL", "unexpected " + r.status() + " on the inbox",
                    "run cyx doctor again; if it persists, ask your operator"));
        }
        String date = r.header("Date");
        if (date != null) {
            Instant server = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Instant local = sent.plus(Duration.between(sent, received).dividedBy(2));
            long skew = Duration.between(server, local).toSeconds();
            boolean ok = Math.abs(skew) <= 30;
            checks.add(new Check("clock", ok ? "OK" : "FAIL", "this clock is " + skew + " s from the server's "
                    + "(second resolution)", ok ? null : "sync the clock (NTP): webhook timestamps are checked "
                    + "within a few minutes"));
        }
        else {
            checks.add(new Check("clock", "WARN", "the server sent no Date header", null));
        }
        String remaining = r.header("X-RateLimit-Remaining");
        if (remaining != null) {
            long left = Long.parseLong(remaining);
            String burst = r.header("X-RateLimit-Burst-Capacity");
            String rate = r.header("X-RateLimit-Replenish-Rate");
            checks.add(new Check("rate limit", left > 0 ? "OK" : "WARN", left + " requests left now"
                    + (burst != null ? " of a burst of " + burst : "") + (rate != null ? ", refilling " + rate + "/s" : ""),
                    left > 0 ? null : "slow down: calls now get 429 with Retry-After (the client waits for it)"));
        }
        else {
            checks.add(new Check("rate limit", "OK", "no limit reported for this key", null));
        }
        return report(checks);
    }

    private int report(List<Check> checks) {
        if (out.json) {
            Output.json(checks);
        }
        else {
            Output.table(List.of("CHECK", "STATUS", "DETAIL"), checks.stream()
                    .map(c -> List.<Object>of(c.check(), c.status(), c.detail())).toList());
            checks.stream().filter(c -> c.fix() != null).forEach(c -> Output.OUT.println("fix " + c.check() + ": "
                    + c.fix()));
        }
        return checks.stream().anyMatch(c -> c.status().equals("FAIL")) ? Cyx.INVALID : Cyx.OK;
    }
}
