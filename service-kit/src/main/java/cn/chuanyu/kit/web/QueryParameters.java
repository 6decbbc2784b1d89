package cn.chuanyu.kit.web;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.BeanUtils;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.convert.support.DefaultConversionService;
import org.springframework.stereotype.Controller;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Unknown query parameters are refused, as unknown JSON fields are: a parameter the handler method does not
 * declare is most likely a typo or a misunderstanding ({@code ?cursor=} on an endpoint that pages with
 * {@code after}), and silently ignoring it answers a question the client did not ask. A handler accepts the names of
 * its {@code @RequestParam} parameters and of the components (or properties) of its {@code @ModelAttribute} ones;
 * a {@code @RequestParam Map} takes any. Only the query string counts, never a form body. Shared by the servlet
 * services ({@link UnknownQueryParameterInterceptor}) and the reactive gateway.
 */
public final class QueryParameters {

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();
    private static final Map<Method, Set<String>> ACCEPTED = new ConcurrentHashMap<>();
    /** Marks a handler that takes any parameter. */
    private static final Set<String> ANY = Collections.unmodifiableSet(new TreeSet<>(Set.of("*")));

    private QueryParameters() {
    }

    /** Whether the rule applies to a handler of this class: the application's controllers, not Spring's or springdoc's. */
    public static boolean appliesTo(Class<?> handlerType) {
        Class<?> type = ClassUtils.getUserClass(handlerType);
        String name = type.getName();
        return !name.startsWith("org.springframework.") && !name.startsWith("org.springdoc.")
                && MergedAnnotations.from(type, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                        .isPresent(Controller.class);
    }

    /**
     * @throws InvalidRequestException naming every parameter of the query string the handler does not take, and
     *                                 saying which it does
     */
    public static void check(Method handler, String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        Set<String> accepted = accepted(handler);
        if (accepted == ANY) {
            return;
        }
        List<FieldProblem> problems = new ArrayList<>();
        for (String name : names(rawQuery)) {
            if (!accepted.contains(name)) {
                problems.add(new FieldProblem(name, accepted.isEmpty()
                        ? "unknown query parameter; this endpoint takes none"
                        : "unknown query parameter; this endpoint takes " + String.join(", ", accepted)));
            }
        }
        if (!problems.isEmpty()) {
            // One answer names everything wrong: values of known parameters that will not convert too (alone, such
            // a value gets the framework's own type-mismatch problem, which says the same).
            problems.addAll(0, unconvertible(handler, rawQuery));
            throw new InvalidRequestException(problems);
        }
    }

    /** The {@code @RequestParam}s of the handler whose value in the query string does not convert to its type. */
    static List<FieldProblem> unconvertible(Method handler, String rawQuery) {
        String[] parameterNames = NAMES.getParameterNames(handler);
        Class<?>[] types = handler.getParameterTypes();
        java.lang.annotation.Annotation[][] annotations = handler.getParameterAnnotations();
        Map<String, Class<?>> typed = new java.util.HashMap<>();
        for (int i = 0; i < types.length; i++) {
            RequestParam requestParam = find(annotations[i], RequestParam.class);
            if (requestParam != null && !CharSequence.class.isAssignableFrom(types[i])
                    && BeanUtils.isSimpleValueType(types[i])) {
                String name = !requestParam.name().isEmpty() ? requestParam.name() : requestParam.value();
                typed.put(!name.isEmpty() ? name : parameterNames == null ? "arg" + i : parameterNames[i], types[i]);
            }
        }
        List<FieldProblem> problems = new ArrayList<>();
        if (typed.isEmpty()) {
            return problems;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                Class<?> type = typed.get(name);
                if (type == null || problems.stream().anyMatch(p -> p.field().equals(name))) {
                    continue;
                }
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                try {
                    if (!value.isEmpty()) {
                        DefaultConversionService.getSharedInstance().convert(value, type);
                    }
                }
                catch (org.springframework.core.convert.ConversionException ex) {
                    problems.add(new FieldProblem(name, "invalid value"));
                }
            }
            catch (IllegalArgumentException ex) {
                // a malformed %-escape: QueryStrings reports it
            }
        }
        return problems;
    }

    /** The parameter names of a raw query string, decoded, in order, each once. */
    static Set<String> names(String rawQuery) {
        Set<String> names = new LinkedHashSet<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (name.isEmpty()) {
                continue;
            }
            try {
                names.add(URLDecoder.decode(name, StandardCharsets.UTF_8));
            }
            catch (IllegalArgumentException ex) {
                names.add(name); // a malformed %-escape: named as sent
            }
        }
        return names;
    }

    /** The query parameters a handler method takes (a set holding only "*" if it takes any). */
    static Set<String> accepted(Method handler) {
        return ACCEPTED.computeIfAbsent(handler, QueryParameters::declared);
    }

    private static Set<String> declared(Method method) {
        Set<String> accepted = new TreeSet<>();
        String[] parameterNames = NAMES.getParameterNames(method);
        Class<?>[] types = method.getParameterTypes();
        java.lang.annotation.Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < types.length; i++) {
            RequestParam requestParam = find(annotations[i], RequestParam.class);
            if (requestParam != null) {
                String name = !requestParam.name().isEmpty() ? requestParam.name() : requestParam.value();
                if (name.isEmpty() && Map.class.isAssignableFrom(types[i])) {
                    return ANY;
                }
                accepted.add(!name.isEmpty() ? name : parameterNames == null ? "arg" + i : parameterNames[i]);
            }
            else if (find(annotations[i], ModelAttribute.class) != null) {
                accepted.addAll(properties(types[i]));
            }
        }
        return Collections.unmodifiableSet(accepted);
    }

    private static List<String> properties(Class<?> type) {
        if (type.isRecord()) {
            return java.util.Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
        }
        return java.util.Arrays.stream(BeanUtils.getPropertyDescriptors(type))
                .filter(p -> p.getWriteMethod() != null).map(java.beans.PropertyDescriptor::getName).toList();
    }

    private static <A extends java.lang.annotation.Annotation> A find(java.lang.annotation.Annotation[] on,
            Class<A> type) {
        for (java.lang.annotation.Annotation annotation : on) {
            if (type.isInstance(annotation)) {
                return type.cast(annotation);
            }
            A meta = AnnotatedElementUtils.findMergedAnnotation(annotation.annotationType(), type);
            if (meta != null) {
                return meta;
            }
        }
        return null;
    }
}
