package cn.chuanyu.gateway.docs;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gateway's own OpenAPI document: the agency registry's admin API, called with an operator's key. */
@Configuration(proxyBeanMethods = false)
class GatewayOpenApi {

    @Bean
    OpenAPI registryAdminDocument() {
        return new OpenAPI()
                .info(new Info().title("Chuanyu gateway: agency registry administration").version("v1")
                        .contact(new Contact().name("Chuanyu Exchange platform operators"))
                        .description("Operators register agencies, issue and revoke their API keys, map client "
                                + "certificates and suspend or reactivate agencies. Every action is audited."))
                .components(new Components().addSecuritySchemes("apiKey", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("an operator's API key")))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
