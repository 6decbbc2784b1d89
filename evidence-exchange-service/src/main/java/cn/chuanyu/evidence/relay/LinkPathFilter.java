package cn.chuanyu.evidence.relay;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.regex.Pattern;

import cn.chuanyu.kit.web.ProblemJson;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the two doors apart. On the link's https connector (the only secure one) exactly one thing exists, the
 * content endpoint, and only for the pinned peer certificate: everything else is 404, another certificate 403. On
 * the normal port nothing under {@code /link/} exists (404), whether or not this node runs two regions.
 */
final class LinkPathFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(LinkPathFilter.class);

    static final Pattern CONTENT = Pattern.compile(
            "/link/v1/packages/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/items/[0-9a-f]{64}/content");

    private final LinkTls tls;

    LinkPathFilter(LinkTls tls) {
        this.tls = tls;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        if (!request.isSecure()) {
            if (path.startsWith("/link/") || path.equals("/link")) {
                refuse(request, response, HttpServletResponse.SC_NOT_FOUND, "Not Found", "no such resource");
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        if (tls == null || !"GET".equals(request.getMethod())
                || request.getQueryString() != null || !CONTENT.matcher(path).matches()) {
            refuse(request, response, HttpServletResponse.SC_NOT_FOUND, "Not Found", "no such resource");
            return;
        }
        X509Certificate[] chainPresented = (X509Certificate[]) request
                .getAttribute("jakarta.servlet.request.X509Certificate");
        if (!tls.isPinnedPeer(chainPresented)) {
            log.warn("refused link request {} from {}: not the pinned peer certificate ({})", path,
                    request.getRemoteAddr(), chainPresented == null || chainPresented.length == 0 ? "none"
                            : chainPresented[0].getSubjectX500Principal());
            refuse(request, response, HttpServletResponse.SC_FORBIDDEN, "Forbidden",
                    "only the pinned peer node's certificate may fetch content");
            return;
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String title,
            String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(ProblemJson.MEDIA_TYPE);
        response.getWriter().write(ProblemJson.body(status, title, detail, request.getRequestURI()));
    }
}
