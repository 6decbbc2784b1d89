package cn.chuanyu.kit.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cn.chuanyu.kit.keys.KeyFiles;
import cn.chuanyu.kit.note.NoteSigner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./platform up --two-regions} makes each node's note key with openssl and computes its verifier key in shell
 * (bin/instance.sh: ensure_node_key, note_verifier_key), pinned by the peer as CHUANYU_PEER_NOTE_KEY. The node
 * signs with the same file through KeyFiles and NoteSigner: if the two disagreed, the peer would reject every
 * evidence of the node.
 */
class NodeKeyRecipeTest {

    private static final Path RECIPE = Path.of("..", "bin", "instance.sh").toAbsolutePath().normalize();

    @Test
    void theRecipesVerifierKeyIsTheOneTheNodeSignsWith(@TempDir Path node) throws Exception {
        String shellKey = bash("source \"$1\" && ensure_node_key \"$2\" && note_verifier_key sc.chuanyu.local 001 \"$2/keys/node-ed25519.key\"",
                RECIPE.toString(), node.toString());

        NoteSigner signer = new NoteSigner("sc.chuanyu.local", KeyFiles.ed25519(node.resolve("keys/node-ed25519.key")));

        assertThat(shellKey).isEqualTo(signer.verifierKey());
    }

    private static String bash(String script, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 4];
        command[0] = "bash";
        command[1] = "-c";
        command[2] = script;
        command[3] = "recipe";
        System.arraycopy(args, 0, command, 4, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("bash finished within 30 s").isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }
}
