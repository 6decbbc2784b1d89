package cn.chuanyu.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A JDK HttpServer answering with a test's handler and recording every request it saw. */
final class StubServer implements AutoCloseable {

    record Seen(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange, Seen seen, int index) throws IOException;
    }

    final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer server;

    StubServer(Handler handler) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try {
                Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()),
                        exchange.getRequestBody().readAllBytes());
                int index;
                synchronized (seen) {
                    seen.add(request);
                    index = seen.size() - 1;
                }
                handler.handle(exchange, request, index);
            }
            catch (IOException | RuntimeException ex) {
                ex.printStackTrace();
                throw ex;
            }
            finally {
                exchange.close();
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    ChuanyuClient client(RetryPolicy retry) {
        return ChuanyuClient.builder().gateway(url()).apiKey("test-key").retry(retry)
                .requestTimeout(Duration.ofSeconds(5)).build();
    }

    static void respond(HttpExchange exchange, int status, String contentType, String body, String... headers)
            throws IOException {
        for (int i = 0; i < headers.length; i += 2) {
            exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            exchange.getResponseHeaders().add("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
