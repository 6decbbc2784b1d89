package cn.chuanyu.kit.domain;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a domain type: an aggregate, a command it takes, an event or a rule class. Such a type (and every type
 * nested in it) knows no HTTP, messaging, SQL, OpenAPI or bean validation; the architecture tests hold it to that.
 * The marker, not a package, says it, because services are packaged by feature: a feature package holds its
 * aggregate beside its controller and repository.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DomainModel {
}
