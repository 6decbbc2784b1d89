package cn.chuanyu.gateway.docs;

import java.util.List;

import cn.chuanyu.kit.identity.PrincipalTokens;
import cn.chuanyu.gateway.identity.RouteGuard;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The services' OpenAPI documents at {@code /v3/api-docs/<service>}, the only thing the gateway serves from a
 * service without a key: GET on that exact path, rewritten to the service's {@code /v3/api-docs}. Each document is
 * adjusted to be tried out through the gateway from Swagger UI ({@code /swagger-ui.html}): its server becomes the
 * gateway and it declares the Bearer API key.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocsRoutes {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Bean
    RouteLocator serviceApiDocs(RouteLocatorBuilder routes,
            @Value("${chuanyu.gateway.api-docs.services}") List<String> services) {
        RouteLocatorBuilder.Builder builder = routes.routes();
        for (String service : services) {
            builder.route("api-docs-" + service, route -> route
                    .method("GET")
                    .and().path("/v3/api-docs/" + service)
                    .filters(f -> f
                            .removeRequestHeader(HttpHeaders.AUTHORIZATION)
                            .removeRequestHeader(PrincipalTokens.HEADER)
                            .setPath("/v3/api-docs")
                            .modifyResponseBody(String.class, String.class,
                                    (exchange, body) -> Mono.justOrEmpty(throughGateway(body))))
                    // A service builds its document on the first request for it: seconds on a busy machine.
                    .metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, 30000)
                    .metadata(RouteMetadataUtils.CONNECT_TIMEOUT_ATTR, 2000)
                    .metadata(RouteGuard.PUBLIC, true) // documents are served without a key
                    .uri("lb://" + service));
        }
        return builder.build();
    }

    /** Servers: the gateway (relative to the document); security: the agency's API key as a Bearer token. */
    static String throughGateway(String document) {
        if (document == null) {
            return null;
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(document);
        }
        catch (RuntimeException ex) {
            return document; // not JSON (an error page): pass it on as it is
        }
        if (!(parsed instanceof ObjectNode root) || !root.has("openapi")) {
            return document;
        }
        root.putArray("servers").addObject().put("url", "/").put("description", "Chuanyu gateway");
        ObjectNode schemes = (root.get("components") instanceof ObjectNode c ? c : root.putObject("components"))
                .withObject("securitySchemes");
        schemes.putObject("apiKey").put("type", "http").put("scheme", "bearer")
                .put("description", "the agency's API key, issued by the platform operators");
        root.putArray("security").addObject().putArray("apiKey");
        return JSON.writeValueAsString(root);
    }
}
