package cn.chuanyu.kit.web;

import java.util.Map;

import cn.chuanyu.kit.identity.Caller;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Every service's OpenAPI document states what every API operation can answer besides success: the RFC 9457
 * problems (with the field errors), the gateway's bearer key, and the Idempotency-Key header on POSTs.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(OpenApiCustomizer.class)
public class ApiDocsAutoConfiguration {

    static {
        // The verified principal is resolved from the gateway's signed header (CallerArgumentResolver), never sent
        // by a client: it is not a parameter of any operation.
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    private static final Map<String, String> PROBLEMS = Map.of(
            "400", "Invalid request: malformed JSON, unknown field, wrong type, failed constraint (errors[] names "
                    + "each field and rule)",
            "401", "No valid API key (at the gateway) or no gateway-signed principal (at a service port)",
            "403", "Authenticated, but this role or party may not do this",
            "404", "No such resource, or the caller is not one of its parties",
            "409", "Not allowed in the current state (currentState names it)",
            "412", "If-Match does not name the current version (currentVersion says which is)",
            "413", "Request body over the documented limit",
            "422", "Well-formed but breaks a business rule (errors[] names the field), or an Idempotency-Key "
                    + "reused with another body",
            "429", "Over the agency's rate limit (see Retry-After)",
            "503", "A service this call needs is unavailable (see Retry-After)");

    @Bean
    OpenApiCustomizer problemResponses(@Value("${spring.application.name}") String service) {
        return openApi -> {
            openApi.info(new Info().title("Chuanyu Exchange: " + service).version("v1")
                    .contact(new Contact().name("Chuanyu Exchange platform operators"))
                    // Markdown: a bare <apiKey> would be swallowed as an HTML tag by Swagger UI.
                    .description("Call through the gateway with `Authorization: Bearer` followed by your agency's "
                            + "API key. Errors are `application/problem+json` (RFC 9457)."));
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            components.addSchemas("Problem", problemSchema());
            components.addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.HTTP)
                    .scheme("bearer").description("The agency's API key, checked by the gateway"));
            openApi.components(components);
            openApi.addSecurityItem(new SecurityRequirement().addList("apiKey"));
            Content problem = new Content().addMediaType(ProblemJson.MEDIA_TYPE,
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                PROBLEMS.forEach((status, description) -> {
                    if (operation.getResponses() != null && !operation.getResponses().containsKey(status)) {
                        operation.getResponses().addApiResponse(status,
                                new ApiResponse().description(description).content(problem));
                    }
                });
                if (method == io.swagger.v3.oas.models.PathItem.HttpMethod.POST) {
                    operation.addParametersItem(new HeaderParameter().name(IdempotencyFilter.HEADER)
                            .required(false).schema(new StringSchema().maxLength(128))
                            .description("Makes a retry safe: the same key and body return the first response"));
                }
            }));
        };
    }

    @SuppressWarnings("rawtypes")
    private static Schema problemSchema() {
        ObjectSchema fieldError = new ObjectSchema();
        fieldError.addProperty("field", new StringSchema());
        fieldError.addProperty("message", new StringSchema());
        fieldError.addProperty("allowed", new ArraySchema().items(new StringSchema()));
        ObjectSchema schema = new ObjectSchema();
        schema.addProperty("type", new StringSchema().example("about:blank"));
        schema.addProperty("title", new StringSchema());
        schema.addProperty("status", new IntegerSchema());
        schema.addProperty("detail", new StringSchema());
        schema.addProperty("instance", new StringSchema());
        schema.addProperty("errors", new ArraySchema().items(fieldError));
        schema.addProperty("currentState", new StringSchema());
        schema.addProperty("currentVersion", new IntegerSchema());
        return schema;
    }
}
