package cn.chuanyu.kit.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import cn.chuanyu.kit.test.ChildProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The timeout of {@link ChildProcess} fires on a child that hangs with its output still open. */
class ChildProcessTest {

    @Test
    void hungChildIsKilledAtTheTimeout() {
        long started = System.nanoTime();
        // The shell prints, then sleeps holding stdout: reading the pipe to its end would wait the full 60 s.
        assertThatThrownBy(() -> ChildProcess.run(List.of("sh", "-c", "echo started; exec sleep 60"),
                Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not finish within PT1S")
                .hasMessageContaining("started");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void finishedChildGivesExitCodeAndOutput() throws IOException {
        ChildProcess.Result result = ChildProcess.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
                Duration.ofSeconds(30));
        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.output()).contains("out").contains("err");
    }
}
