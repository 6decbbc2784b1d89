package cn.chuanyu.kit.test;

import java.util.List;
import java.util.stream.Stream;

import cn.chuanyu.kit.domain.DomainModel;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.library.dependencies.SliceRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The platform's module boundaries, one set for every module; each module's {@code ArchitectureTest} checks its
 * own classes against them. Run with ArchUnit's core from plain JUnit tests.
 *
 * <p>Domain types are those annotated {@link DomainModel} (and the types nested in them), plus the kit's domain
 * errors ({@code cn.chuanyu.kit.domain}).
 */
public final class ArchitectureRules {

    /** The root package of each deployable; none may use another's code (they talk over HTTP and the bus). */
    public static final List<String> DEPLOYABLES = List.of(
            "cn.chuanyu.casetransfer", "cn.chuanyu.evidence", "cn.chuanyu.audit", "cn.chuanyu.gateway",
            "cn.chuanyu.witness");

    /** Message contracts are plain Java: no Spring, no other module of the project. */
    public static final ArchRule CONTRACTS_ARE_PLAIN_JAVA = noClasses()
            .that().resideInAPackage("cn.chuanyu.contracts..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "cn.chuanyu.kit..",
                    "cn.chuanyu.casetransfer..", "cn.chuanyu.evidence..", "cn.chuanyu.audit..", "cn.chuanyu.gateway..")
            .as("contracts use no Spring and no other project module");

    /** No service, nor the gateway, nor the kit uses a service's (or the gateway's) code. */
    public static final ArchRule SERVICES_ARE_INDEPENDENT = servicesAreIndependent();

    /**
     * Domain types know no HTTP (Spring web, servlet, the kit's web layer), AMQP, SQL, OpenAPI or bean validation:
     * they take commands and return events or throw the kit's domain errors.
     */
    public static final ArchRule DOMAIN_KNOWS_NO_INFRASTRUCTURE = noClasses()
            .that(domainTypes())
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework.web..", "org.springframework.http..", "jakarta.servlet..",
                    "cn.chuanyu.kit.web..",
                    "org.springframework.amqp..", "com.rabbitmq..",
                    "java.sql..", "javax.sql..", "org.springframework.jdbc..",
                    "io.swagger..", "org.springdoc..", "jakarta.validation..")
            // Nor a web request record of their own module: an aggregate takes a command, not the HTTP body.
            .orShould().dependOnClassesThat(carryApiAnnotations())
            .as("domain types use no web, AMQP, SQL, OpenAPI or validation types, nor types annotated with them")
            // A module without domain types (contracts, the gateway) passes rather than failing on an empty set.
            .allowEmptyShould(true);

    private ArchitectureRules() {
    }

    /** The main (not test) classes of {@code rootPackage}, wherever they are on the class path. */
    public static JavaClasses mainClassesOf(String rootPackage) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
    }

    /**
     * The feature packages directly under {@code rootPackage} (and everything below each) form no cycle. A slice
     * rule, so that a module can name (with {@code ignoreDependency}) one known dependency it has yet to remove.
     */
    public static SliceRule noPackageCycles(String rootPackage) {
        return slices().matching(rootPackage + ".(*)..")
                .should().beFreeOfCycles()
                .as("the packages of " + rootPackage + " form no cycle");
    }

    private static ArchRule servicesAreIndependent() {
        CompositeArchRule rule = null;
        for (String deployable : DEPLOYABLES) {
            String[] others = DEPLOYABLES.stream().filter(d -> !d.equals(deployable)).map(d -> d + "..")
                    .toArray(String[]::new);
            ArchRule one = noClasses().that().resideInAPackage(deployable + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .allowEmptyShould(true);
            rule = rule == null ? CompositeArchRule.of(one) : rule.and(one);
        }
        ArchRule kit = noClasses().that().resideInAPackage("cn.chuanyu.kit..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        DEPLOYABLES.stream().map(d -> d + "..").toArray(String[]::new))
                .allowEmptyShould(true);
        return rule.and(kit).as("no service, the gateway or the kit uses another deployable's code");
    }

    private static DescribedPredicate<JavaClass> domainTypes() {
        return DescribedPredicate.describe("are domain types (@DomainModel, nested in one, or kit.domain)",
                ArchitectureRules::isDomainType);
    }

    private static DescribedPredicate<JavaClass> carryApiAnnotations() {
        return DescribedPredicate.describe("carry OpenAPI, validation or Spring web annotations",
                ArchitectureRules::carriesApiAnnotations);
    }

    private static boolean carriesApiAnnotations(JavaClass type) {
        Stream<JavaAnnotation<?>> annotations = Stream.of(
                type.getAnnotations().stream(),
                type.getFields().stream().flatMap(f -> f.getAnnotations().stream()),
                type.getCodeUnits().stream().flatMap(m -> Stream.concat(m.getAnnotations().stream(),
                        m.getParameters().stream().flatMap(p -> p.getAnnotations().stream()))))
                .flatMap(s -> s);
        return annotations.map(a -> a.getRawType().getPackageName()).anyMatch(ArchitectureRules::isApiPackage);
    }

    private static boolean isApiPackage(String name) {
        return name.startsWith("io.swagger.") || name.startsWith("jakarta.validation")
                || name.startsWith("org.springframework.web.") || name.startsWith("org.springframework.validation");
    }

    private static boolean isDomainType(JavaClass type) {
        if (type.getPackageName().equals("cn.chuanyu.kit.domain")) {
            return true;
        }
        for (JavaClass c = type; c != null; c = c.getEnclosingClass().orElse(null)) {
            if (c.isAnnotatedWith(DomainModel.class)) {
                return true;
            }
        }
        return false;
    }
}
