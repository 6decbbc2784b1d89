package cn.chuanyu.kit.web;

import java.io.IOException;
import java.util.Map;

import jakarta.validation.Validator;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON converter of the servlet services, reading request bodies through {@link JsonBodyBinder} so that one 400
 * names every problem of a body. Parsing (syntax, duplicate keys, trailing tokens, the size limit) and writing are
 * Spring's own.
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
}
