package cn.chuanyu.gateway.console;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The operator console's page at {@code /console}; its script and styles are static files under
 * {@code classpath:/static/console/}. The page holds no secret: every API call it makes carries the operator's key.
 */
@Configuration(proxyBeanMethods = false)
class ConsolePage {

    // Same-origin only: the console loads nothing from elsewhere and talks only to this gateway.
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    @Bean
    RouterFunction<ServerResponse> consolePageRoute() {
        Resource page = new ClassPathResource("static/console/index.html");
        return RouterFunctions.route(RequestPredicates.GET("/console").or(RequestPredicates.GET("/console/")),
                request -> ServerResponse.ok()
                        .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                        .header("Cache-Control", "no-cache")
                        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                        .header("X-Content-Type-Options", "nosniff")
                        .header("Referrer-Policy", "no-referrer")
                        .bodyValue(page));
    }
}
