package cn.chuanyu.gateway.protection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import cn.chuanyu.gateway.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends its whole body without {@code Expect: 100-continue} (Python's urllib, curl for small
 * bodies, a raw socket) must read the 413, not a connection reset: the gateway reads and discards the body first.
 */
class OversizedBodyIT extends GatewayTestSupport {

    @Test
    void aClientThatWritesTheWholeOversizedBodyFirstStillReadsThe413Problem() throws Exception {
        String key = agencyKey("sc-chengdu-procuratorate");
        // 8 MiB over a 1 MiB limit: more than the loopback socket buffers hold, so the gateway must read it.
        byte[] body = new byte[8 * 1024 * 1024];
        Arrays.fill(body, (byte) 'x');

        String response = sendWholeBodyThenRead("POST", "/api/v1/case-transfers", key, body);

        assertThat(response).startsWith("HTTP/1.1 413");
        assertThat(response.toLowerCase()).contains("content-type: application/problem+json");
        assertThat(response).contains("\"status\":413").contains("exceeds the limit of 1048576 bytes");
        assertThat(service("case-transfer-service").getAllServeEvents()).isEmpty();
    }

    /** Writes request line, headers and the whole body without waiting for anything, then reads to the end. */
    private String sendWholeBodyThenRead(String method, String path, String key, byte[] body) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            String head = method + " " + path + " HTTP/1.1\r\n"
                    + "Host: localhost:" + port + "\r\n"
                    + "Authorization: Bearer " + key + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            for (int offset = 0; offset < body.length; offset += 64 * 1024) {
                out.write(body, offset, Math.min(64 * 1024, body.length - offset));
            }
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
            return received.toString(StandardCharsets.UTF_8);
        }
    }
}
