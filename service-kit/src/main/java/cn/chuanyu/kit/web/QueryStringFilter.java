package cn.chuanyu.kit.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a malformed query string ({@link QueryStrings}) with a 400 problem naming each malformed parameter,
 * before any filter, interceptor or argument resolver asks the container for a parameter: Tomcat throws from
 * {@code getParameter} on invalid UTF-8, wherever that first call happens.
 */
public class QueryStringFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<FieldProblem> problems = QueryStrings.problems(request.getQueryString());
        if (problems.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setContentType(ProblemJson.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(ProblemJson.body(400, "Invalid request",
                problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")),
                request.getRequestURI(), problems));
    }
}
