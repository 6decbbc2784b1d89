package cn.chuanyu.evidence.web;

import java.util.List;
import java.util.Map;

import cn.chuanyu.evidence.storage.BodyReadException;
import cn.chuanyu.evidence.storage.ContentTooLargeException;
import cn.chuanyu.evidence.storage.DigestMismatchException;
import cn.chuanyu.evidence.storage.Sha256;
import cn.chuanyu.evidence.storage.StoredEvidenceMismatchException;
import cn.chuanyu.evidence.storage.UploadOffsetConflictException;
import cn.chuanyu.kit.web.Correlation;
import cn.chuanyu.kit.web.LogText;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Problems only evidence has; everything else falls through to the kit's ProblemHandler. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class EvidenceProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(EvidenceProblemHandler.class);

    static final String TUS_RESUMABLE = "Tus-Resumable";

    @ExceptionHandler(DigestMismatchException.class)
    ProblemDetail digestMismatch(DigestMismatchException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, ex.getMessage());
        problem.setTitle("Digest mismatch");
        problem.setProperty("errors", List.of(Map.of("field", DigestHeaders.REPR_DIGEST, "message", ex.getMessage())));
        // The same 422 whichever announced digest failed; the properties name its algorithm.
        boolean sm3 = DigestMismatchException.SM3.equals(ex.algorithm());
        problem.setProperty(sm3 ? "expectedSm3" : "expectedSha256", ex.expectedSha256());
        problem.setProperty(sm3 ? "actualSm3" : "actualSha256", ex.actualSha256());
        problem.setProperty("receivedBytes", ex.size());
        return problem;
    }

    /** The client is most likely gone; nobody reads this answer, so no stack trace, just what happened. */
    @ExceptionHandler(BodyReadException.class)
    ProblemDetail bodyBrokeOff(BodyReadException ex, HttpServletRequest request) {
        log.info("{} {}: {}", request.getMethod(), LogText.safe(request.getRequestURI()),
                LogText.safe(ex.getMessage()));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
        problem.setTitle("Incomplete request body");
        return problem;
    }

    @ExceptionHandler(ContentTooLargeException.class)
    ProblemDetail tooLarge(ContentTooLargeException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage());
        problem.setTitle("Payload too large");
        problem.setProperty("limit", ex.limit());
        return problem;
    }

    @ExceptionHandler(UploadOffsetConflictException.class)
    ResponseEntity<ProblemDetail> offsetConflict(UploadOffsetConflictException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
        problem.setTitle("Upload offset conflict");
        problem.setProperty("uploadOffset", ex.currentOffset());
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .header("Upload-Offset", Long.toString(Math.max(0, ex.currentOffset())))
                .header(TUS_RESUMABLE, "1.0.0")
                .body(problem);
    }

    @ExceptionHandler(TusVersionException.class)
    ResponseEntity<ProblemDetail> tusVersion(TusVersionException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.PRECONDITION_FAILED, ex.getMessage());
        problem.setTitle("Unsupported tus version");
        return ResponseEntity.status(HttpStatus.PRECONDITION_FAILED).header("Tus-Version", "1.0.0").body(problem);
    }

    @ExceptionHandler(UnsupportedBodyTypeException.class)
    ProblemDetail unsupportedType(UnsupportedBodyTypeException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ex.getMessage());
        problem.setTitle("Unsupported media type");
        return problem;
    }

    @ExceptionHandler(RangeNotSatisfiableException.class)
    ResponseEntity<ProblemDetail> rangeNotSatisfiable(RangeNotSatisfiableException ex, HttpServletResponse response) {
        clean(response);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                ex.getMessage());
        problem.setTitle("Range not satisfiable");
        return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                .header(HttpHeaders.CONTENT_RANGE, "bytes */" + ex.size())
                .body(problem);
    }

    /**
     * Before any byte went out: a 500 problem saying which item no longer matches. After: rethrown, so the
     * container aborts the connection and the client sees a short (failed) body rather than a complete one.
     */
    @ExceptionHandler(StoredEvidenceMismatchException.class)
    ResponseEntity<ProblemDetail> storedMismatch(StoredEvidenceMismatchException ex, HttpServletResponse response) {
        if (response.isCommitted()) {
            throw ex;
        }
        clean(response);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, ex.getMessage());
        problem.setTitle("Stored evidence does not match its seal");
        problem.setProperty("integrity", "mismatch");
        problem.setProperty("item", ex.item());
        problem.setProperty("expectedSha256", ex.expectedSha256());
        problem.setProperty("expectedReprDigest", Sha256.reprDigest(ex.expectedSha256()));
        if (ex.actualSha256() != null) {
            problem.setProperty("actualSha256", ex.actualSha256());
        }
        return ResponseEntity.internalServerError().body(problem);
    }

    /** Drops the download headers already set (length, range, digest), keeping the correlation id. */
    private static void clean(HttpServletResponse response) {
        if (!response.isCommitted()) {
            response.reset();
            String correlationId = MDC.get(Correlation.MDC_KEY);
            if (correlationId != null) {
                response.setHeader(Correlation.HEADER, correlationId);
            }
        }
    }
}
