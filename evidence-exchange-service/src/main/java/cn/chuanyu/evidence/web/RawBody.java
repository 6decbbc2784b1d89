package cn.chuanyu.evidence.web;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;

/** Evidence bodies straight from the container. */
public final class RawBody {

    private RawBody() {
    }

    /**
     * The container's own body stream. Evidence is bytes whatever Content-Type it declares, so it is read past the
     * kit's JSON body limit (a wrapper meant for JSON APIs), which would otherwise cut a JSON file off at 256 KiB.
     * Nothing here buffers: the caller reads it in chunks.
     */
    public static InputStream of(HttpServletRequest request) throws IOException {
        ServletRequest raw = request;
        while (raw instanceof ServletRequestWrapper wrapper) {
            raw = wrapper.getRequest();
        }
        return raw.getInputStream();
    }
}
