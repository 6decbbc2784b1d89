package cn.chuanyu.kit.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.validation.Validator;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON converter of the servlet services, reading request bodies through {@link JsonBodyBinder} so that one 400
 * names every problem of a body. A body must be UTF-8 without a byte-order mark (RFC 8259 section 8.1): Jackson on
 * its own guesses UTF-16 and UTF-32 and decodes overlong sequences ({@code C0 AF} as {@code /}), so a filter that
 * looked at the bytes and the service would read different text. Parsing (syntax, duplicate keys, trailing tokens,
 * the size limit) and writing are Spring's own.
 */
class StrictJsonHttpMessageConverter extends JacksonJsonHttpMessageConverter {

    private final JsonBodyBinder binder;

    StrictJsonHttpMessageConverter(JsonMapper mapper, Validator validator) {
        super(mapper);
        this.binder = new JsonBodyBinder(mapper, validator);
    }

    @Override
    public Object read(ResolvableType type, HttpInputMessage inputMessage, Map<String, Object> hints)
            throws IOException, HttpMessageNotReadableException {
        inputMessage = strictUtf8(inputMessage);
        if (!JsonBodyBinder.bindsFieldByField(type.toClass())) {
            return super.read(type, inputMessage, hints);
        }
        JsonNode tree = (JsonNode) super.read(ResolvableType.forClass(JsonNode.class), inputMessage, hints);
        try {
            return binder.bind(tree, binder.type(type.getType()));
        }
        catch (JacksonException ex) {
            throw new HttpMessageNotReadableException("JSON parse error: " + ex.getOriginalMessage(), ex,
                    inputMessage);
        }
    }

    /** The body, read whole (the kit's body limit has bounded it), once it is known to be UTF-8 without a BOM. */
    private static HttpInputMessage strictUtf8(HttpInputMessage message) {
        byte[] body;
        try {
            body = message.getBody().readAllBytes();
        }
        catch (IOException ex) {   // over the limit (PayloadTooLargeException, a 413) or the client went away
            throw new HttpMessageNotReadableException("I/O error while reading the request body", ex, message);
        }
        boolean bom = body.length >= 2 && ((body[0] & 0xff) == 0xef || (body[0] & 0xff) == 0xfe
                || (body[0] & 0xff) == 0xff || body[0] == 0 || body[1] == 0);
        try {
            if (bom) {
                throw new CharacterCodingException();
            }
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        }
        catch (CharacterCodingException ex) {
            throw new NotUtf8BodyException(message);
        }
        HttpHeaders headers = message.getHeaders();
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    /** A body that is not UTF-8: a 400 that says so. */
    static final class NotUtf8BodyException extends HttpMessageNotReadableException {

        NotUtf8BodyException(HttpInputMessage message) {
            super("request body is not UTF-8 (without a byte-order mark), as JSON must be", message);
        }
    }
}
