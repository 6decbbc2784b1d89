package cn.chuanyu.casetransfer.exchange;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import cn.chuanyu.kit.web.InvalidParameterException;

/** Keyset cursor for newest-first lists: the (createdAt, id) of the last item served, opaque to clients. */
public record PageCursor(Instant createdAt, UUID id) {

    public String encode() {
        long micros = createdAt.getEpochSecond() * 1_000_000L + createdAt.getNano() / 1_000;
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    public static PageCursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            long micros = Long.parseLong(parts[0]);
            return new PageCursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1_000L), UUID.fromString(parts[1]));
        }
        catch (RuntimeException ex) {
            throw new InvalidParameterException("cursor", "not a cursor returned by this API");
        }
    }
}
