package cn.chuanyu.kit.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a request to an API controller whose query string names a parameter the handler does not take: a 400
 * problem naming every such parameter ({@link QueryParameters}). Actuator and springdoc endpoints are not checked.
 */
class UnknownQueryParameterInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method && QueryParameters.appliesTo(method.getBeanType())) {
            QueryParameters.check(method.getMethod(), request.getQueryString());
        }
        return true;
    }
}
