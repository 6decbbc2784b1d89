package cn.chuanyu.kit.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.domain.NotPermittedException;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.domain.StaleVersionException;
import cn.chuanyu.kit.domain.StateConflictException;
import cn.chuanyu.kit.identity.AccessDeniedException;
import cn.chuanyu.kit.identity.InvalidPrincipalException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into an RFC 9457 problem: 4xx name the field and the rule; anything unexpected is a 500
 * that leaks nothing but the correlation id (the log has the rest).
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    /** Thrown by Tomcat's {@code getParameter} on a malformed query string or form body; named, not imported, so
     * the kit does not tie its services to Tomcat. */
    private static final String TOMCAT_INVALID_PARAMETER = "org.apache.tomcat.util.http.InvalidParameterException";

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(ProblemHandler::fieldError)
                .sorted(java.util.Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message))
                .toList();
        return ResponseEntity.badRequest().body(invalid(errors));
    }

    /** Every problem of a request at once: a body's unknown fields, bad values and failed constraints, or unknown
     * query parameters. */
    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalidRequest(InvalidRequestException ex) {
        return invalid(ex.problems());
    }

    private static ProblemDetail invalid(List<FieldProblem> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, errors.stream()
                .map(e -> e.field() + ": " + e.message())
                .collect(Collectors.joining("; ")));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors.stream().map(FieldProblem::toMap).toList());
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (ex.getMostSpecificCause() instanceof PayloadTooLargeException) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                    ex.getMostSpecificCause().getMessage());
            problem.setTitle("Payload too large");
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem);
        }
        String detail = ex instanceof StrictJsonHttpMessageConverter.NotUtf8BodyException ? ex.getMessage()
                : "request body is missing or is not JSON";
        String field = null;
        // The outermost Jackson exception knows the JSON path; its own cause (a date parser's, say) does not.
        Throwable cause = ex.getMostSpecificCause();
        for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
            if (t instanceof JacksonException) {
                cause = t;
                break;
            }
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            field = unknown.getPropertyName();
            detail = "unknown field '" + field + "'";
        }
        else if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            field = JsonBodyBinder.path(jackson);
            Class<?> target = jackson instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
            detail = "field '" + field + "' must be " + JsonBodyBinder.expected(target);
        }
        else if (cause instanceof MismatchedInputException mismatch) {
            detail = "request body must be a JSON object";
        }
        else if (cause instanceof JacksonException jackson) {
            // Syntax errors: say where, not what the parser's internals are.
            detail = jackson.getLocation() == null ? "malformed JSON"
                    : "malformed JSON at line " + jackson.getLocation().getLineNr() + ", column "
                            + jackson.getLocation().getColumnNr();
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Unreadable request body");
        if (field != null && !field.isEmpty()) {
            problem.setProperty("errors", List.of(Map.of("field", field, "message", detail)));
        }
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "parameter '" + ex.getName() + "' has an invalid value");
        problem.setTitle("Invalid request");
        problem.setProperty("errors", List.of(Map.of("field", ex.getName(), "message", "invalid value")));
        return problem;
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ProblemDetail constraintViolation(ConstraintViolationException ex) {
        List<Map<String, String>> errors = ex.getConstraintViolations().stream()
                .map(v -> Map.of("field", lastNode(v.getPropertyPath().toString()), "message", v.getMessage()))
                .toList();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, errors.stream()
                .map(e -> e.get("field") + ": " + e.get("message"))
                .collect(Collectors.joining("; ")));
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return problem;
    }

    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail invalidParameter(InvalidParameterException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                ex.parameter() + ": " + ex.getMessage());
        problem.setTitle("Invalid request");
        problem.setProperty("errors", List.of(Map.of("field", ex.parameter(), "message", ex.getMessage())));
        return problem;
    }

    @ExceptionHandler(RuleViolationException.class)
    ProblemDetail invalidField(RuleViolationException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                ex.field() + ": " + ex.getMessage());
        problem.setTitle("Request breaks a business rule");
        problem.setProperty("errors", List.of(Map.of("field", ex.field(), "message", ex.getMessage())));
        return problem;
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
        problem.setTitle("Not found");
        return problem;
    }

    @ExceptionHandler(StateConflictException.class)
    ProblemDetail conflict(StateConflictException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
        problem.setTitle("Conflict with the current state");
        if (ex.currentState() != null) {
            problem.setProperty("currentState", ex.currentState());
        }
        return problem;
    }

    @ExceptionHandler(StaleVersionException.class)
    ProblemDetail preconditionFailed(StaleVersionException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.PRECONDITION_FAILED, ex.getMessage());
        problem.setTitle("Precondition failed");
        problem.setProperty("currentVersion", ex.currentVersion());
        return problem;
    }

    @ExceptionHandler(ServiceUnavailableException.class)
    ResponseEntity<ProblemDetail> serviceUnavailable(ServiceUnavailableException ex) {
        log.warn("{} unavailable: {}", ex.service(), LogText.safe(ex.getMessage()));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
        problem.setTitle("Service unavailable");
        problem.setProperty("service", ex.service());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ex.retryAfterSeconds())))
                .body(problem);
    }

    @ExceptionHandler({AccessDeniedException.class, NotPermittedException.class})
    ProblemDetail forbidden(RuntimeException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, ex.getMessage());
        problem.setTitle("Forbidden");
        return problem;
    }

    @ExceptionHandler(InvalidPrincipalException.class)
    ProblemDetail unauthorized(InvalidPrincipalException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, ex.getMessage());
        problem.setTitle("Unauthorized");
        return problem;
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception ex, HttpServletRequest request) {
        if (ex.getClass().getName().equals(TOMCAT_INVALID_PARAMETER)) {
            // QueryStringFilter refuses malformed query strings first; this is a form body Tomcat could not parse.
            return invalid(List.of(new FieldProblem(QueryStrings.WHOLE, "request parameters are not well-formed")));
        }
        log.error("unexpected failure on {} {}", request.getMethod(), LogText.safe(request.getRequestURI()), ex);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "unexpected error; quote the correlation id to the operators");
        problem.setTitle("Internal error");
        problem.setInstance(URI.create(request.getRequestURI()));
        return problem;
    }

    private static FieldProblem fieldError(FieldError error) {
        return new FieldProblem(error.getField(),
                error.getDefaultMessage() == null ? "invalid" : error.getDefaultMessage());
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
