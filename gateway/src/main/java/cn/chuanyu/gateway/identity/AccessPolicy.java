package cn.chuanyu.gateway.identity;

import java.util.List;
import java.util.Set;

import cn.chuanyu.contracts.Role;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which roles may call which API paths ({@code chuanyu.gateway.access}). Deny by default: a path no rule names is
 * refused even when a route for it exists.
 */
@ConfigurationProperties("chuanyu.gateway")
record AccessPolicy(List<Rule> access) {

    record Rule(String path, Set<Role> roles) {
    }

    AccessPolicy {
        access = access == null ? List.of() : List.copyOf(access);
    }
}
