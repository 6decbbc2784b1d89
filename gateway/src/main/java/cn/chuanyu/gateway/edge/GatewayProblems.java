package cn.chuanyu.gateway.edge;

import java.net.ConnectException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.util.stream.Collectors;

import cn.chuanyu.kit.identity.AccessDeniedException;
import cn.chuanyu.kit.domain.StateConflictException;
import cn.chuanyu.kit.web.FieldProblem;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.web.InvalidRequestException;
import cn.chuanyu.kit.web.InvalidParameterException;
import cn.chuanyu.kit.web.LogText;
import cn.chuanyu.kit.domain.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Every failure at the gateway as an RFC 9457 problem: invalid admin requests name the field, unmatched paths are
 * 404, unreachable services 502/503, timeouts 504, oversized bodies 413; anything unexpected is a 500 that leaks
 * nothing but the correlation id. Runs before Boot's error handler, which would answer with its own JSON.
 */
@Component
@Order(-2) // before Boot's DefaultErrorWebExceptionHandler (-1)
public class GatewayProblems implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayProblems.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        Problem problem = problem(exchange, ex);
        return Problems.write(exchange, problem.status(), problem.title(), problem.detail(), problem.extra());
    }

    record Problem(HttpStatusCode status, String title, String detail, Map<String, ?> extra) {

        Problem(HttpStatus status, String title, String detail) {
            this(status, title, detail, Map.of());
        }
    }

    private Problem problem(ServerWebExchange exchange, Throwable ex) {
        if (ex instanceof WebExchangeBindException bind) {
            List<Map<String, String>> errors = bind.getFieldErrors().stream().map(GatewayProblems::fieldError)
                    .toList();
            return new Problem(HttpStatus.BAD_REQUEST, "Invalid request", errors.stream()
                    .map(e -> e.get("field") + ": " + e.get("message")).collect(Collectors.joining("; ")),
                    Map.of("errors", errors));
        }
        if (ex instanceof ServerWebInputException input) {
            return unreadable(input);
        }
        if (ex instanceof BodyTooLargeException || ex instanceof DataBufferLimitException
                || hasCause(ex, BodyTooLargeException.class)) {
            BodyTooLargeException tooLarge = cause(ex, BodyTooLargeException.class);
            return new Problem(HttpStatus.CONTENT_TOO_LARGE, "Request body too large", tooLarge == null
                    ? "request body is too large" : "request body exceeds the limit of " + tooLarge.limitBytes()
                            + " bytes for this API");
        }
        if (ex instanceof RuleViolationException invalid) {
            return new Problem(HttpStatus.UNPROCESSABLE_CONTENT, "Request breaks a business rule",
                    invalid.field() + ": " + invalid.getMessage(),
                    Problems.fieldError(invalid.field(), invalid.getMessage()));
        }
        if (ex instanceof InvalidRequestException invalid) {
            return new Problem(HttpStatus.BAD_REQUEST, "Invalid request", invalid.getMessage(),
                    Map.of("errors", invalid.problems().stream().map(FieldProblem::toMap).toList()));
        }
        if (ex instanceof InvalidParameterException invalid) {
            return new Problem(HttpStatus.BAD_REQUEST, "Invalid request",
                    invalid.parameter() + ": " + invalid.getMessage(),
                    Problems.fieldError(invalid.parameter(), invalid.getMessage()));
        }
        if (ex instanceof NotFoundException notFound) {
            return new Problem(HttpStatus.NOT_FOUND, "Not found", notFound.getMessage());
        }
        if (ex instanceof StateConflictException conflict) {
            return new Problem(HttpStatus.CONFLICT, "Conflict with the current state", conflict.getMessage(),
                    conflict.currentState() == null ? Map.of() : Map.of("currentState", conflict.currentState()));
        }
        if (ex instanceof AccessDeniedException denied) {
            return new Problem(HttpStatus.FORBIDDEN, "Forbidden", denied.getMessage());
        }
        if (ex instanceof NoResourceFoundException) {
            return new Problem(HttpStatus.NOT_FOUND, "Not found", "nothing at this path");
        }
        if (ex instanceof org.springframework.cloud.gateway.support.NotFoundException) {
            // lb:// found no instance of the service.
            return new Problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                    "no instance of the service is available; try again shortly");
        }
        if (ex instanceof CallNotPermittedException || hasCause(ex, CallNotPermittedException.class)
                || ex instanceof org.springframework.cloud.gateway.support.ServiceUnavailableException) {
            // The gateway's CircuitBreaker filter turns an open circuit on a route without a fallback into its own
            // cause-less ServiceUnavailableException.
            // An open circuit on a route without a fallback (evidence uploads: a fallback would buffer the body).
            return new Problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
                    "the service is unavailable (circuit open); try again shortly");
        }
        if (ex instanceof TimeoutException || hasCause(ex, TimeoutException.class)) {
            return new Problem(HttpStatus.GATEWAY_TIMEOUT, "Gateway timeout", "the service did not answer in time");
        }
        if (ex instanceof ConnectException || hasCause(ex, ConnectException.class)) {
            return new Problem(HttpStatus.BAD_GATEWAY, "Bad gateway", "the service could not be reached");
        }
        if (ex instanceof ResponseStatusException status) {
            HttpStatus resolved = HttpStatus.resolve(status.getStatusCode().value());
            String title = resolved == null ? "Error" : resolved.getReasonPhrase();
            return new Problem(status.getStatusCode(), title,
                    status.getReason() == null ? title : status.getReason(), Map.of());
        }
        log.error("unexpected failure on {} {}", exchange.getRequest().getMethod(),
                LogText.safe(exchange.getRequest().getPath().value()), ex);
        return new Problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "unexpected error; quote the correlation id to the operators");
    }

    private static Problem unreadable(ServerWebInputException input) {
        Throwable cause = input.getMostSpecificCause();
        boolean body = hasCause(input, DecodingException.class) || cause instanceof JacksonException
                || (input.getReason() != null && input.getReason().startsWith("No request body"));
        if (!body) {
            // A query or path parameter that does not convert, or a missing one.
            String parameter = input.getMethodParameter() == null ? null
                    : input.getMethodParameter().getParameterName();
            String detail = parameter == null ? String.valueOf(input.getReason())
                    : "parameter '" + parameter + "' has an invalid value";
            return new Problem(HttpStatus.BAD_REQUEST, "Invalid request", detail,
                    parameter == null ? Map.of() : Problems.fieldError(parameter, "invalid value"));
        }
        String detail = cause instanceof JacksonException ? "request body is not valid JSON"
                : "request body is missing or is not JSON";
        String field = null;
        if (cause instanceof UnrecognizedPropertyException unknown) {
            field = unknown.getPropertyName();
            detail = "unknown field '" + field + "'";
        }
        else if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            field = mismatch.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            detail = "field '" + field + "' must be " + expected(mismatch.getTargetType());
        }
        else if (cause instanceof MismatchedInputException) {
            detail = "request body must be a JSON object";
        }
        else if (cause instanceof JacksonException jackson && jackson.getLocation() != null) {
            detail = "malformed JSON at line " + jackson.getLocation().getLineNr() + ", column "
                    + jackson.getLocation().getColumnNr();
        }
        return new Problem(HttpStatus.BAD_REQUEST, "Unreadable request body", detail,
                field == null || field.isEmpty() ? Map.of() : Problems.fieldError(field, detail));
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of a different type";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date-time such as 2026-12-31T16:00:00Z";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number in range";
        }
        return "a JSON object";
    }

    private static Map<String, String> fieldError(FieldError error) {
        return Map.of("field", error.getField(),
                "message", error.getDefaultMessage() == null ? "invalid" : error.getDefaultMessage());
    }

    private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
        return cause(ex, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
