package cn.chuanyu.cyx;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import cn.chuanyu.client.ChuanyuClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Store the gateway and API key in $XDG_CONFIG_HOME/cyx/config.json (mode 600), after checking "
                + "that the gateway accepts the key. CYX_GATEWAY and CYX_API_KEY still win over it.")
final class LoginCommand implements Callable<Integer> {
    @Option(names = "--gateway", required = true, description = "e.g. http://localhost:8080") String gateway;
    @Option(names = "--api-key", description = "The key; omit it to read it from stdin (keeps it out of the "
            + "shell history).") String apiKey;

    @Override
    public Integer call() throws Exception {
        String key = apiKey;
        if (key == null) {
            if (System.console() != null) {
                char[] typed = System.console().readPassword("API key: ");
                key = typed == null ? "" : new String(typed);
            }
            else {
                key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            }
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("no API key given");
        }
        key = key.strip();
        ChuanyuClient.RawResponse r = ChuanyuClient.builder().gateway(gateway).apiKey(key).build()
                .get("api/v1/inbox?limit=1");
        if (r.status() == 401) {
            System.err.println("cyx: the gateway does not accept this key (401); nothing stored");
            return Cyx.REFUSED;
        }
        Config.store(gateway, key);
        Output.OUT.println("stored in " + Config.file() + (r.status() == 200 ? " (an agency key)" : ""));
        return Cyx.OK;
    }
}
