package cn.chuanyu.kit.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error answers as problem+json instead of its HTML page: requests Tomcat refuses before any filter
 * runs (NUL or an overlong UTF-8 sequence in the path, a malformed request line) and errors no servlet wrote a body
 * for. Says nothing of Tomcat or the failure beyond the status; the correlation id is in the header where a filter
 * set one.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status >= 500 ? "unexpected error; quote the correlation id to the operators"
                : status == 400 ? "the request cannot be read: its path, query or headers are malformed"
                : title;
        try {
            response.setContentType(ProblemJson.MEDIA_TYPE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(ProblemJson.body(status, title, detail, null));
                response.finishResponse();
            }
        }
        catch (IOException | IllegalStateException ex) {
            // The client is gone or the response cannot take a body: nothing more to tell anyone.
        }
    }
}
