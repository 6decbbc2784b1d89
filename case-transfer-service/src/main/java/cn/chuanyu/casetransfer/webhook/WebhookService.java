package cn.chuanyu.casetransfer.webhook;

import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.domain.RuleViolationException;
import cn.chuanyu.kit.domain.NotFoundException;
import cn.chuanyu.kit.web.Page;
import cn.chuanyu.kit.web.PageCursor;
import cn.chuanyu.kit.web.Paging;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class WebhookService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final WebhookProperties props;
    private final Clock clock;
    private final WebhookTargets targets;

    WebhookService(JdbcClient jdbc, WebhookProperties props, Clock clock, WebhookTargets targets) {
        this.jdbc = jdbc;
        this.props = props;
        this.clock = clock;
        this.targets = targets;
    }

    @Transactional
    WebhookRequests.Registered register(Caller caller, WebhookRequests.Register request) {
        URI url = validate(request.url());
        int existing = jdbc.sql("select count(*) from webhook where agency_id = :agency and deleted_at is null")
                .param("agency", caller.id())
                .query(Integer.class)
                .single();
        if (existing >= props.maxPerAgency()) {
            throw new RuleViolationException("url", "an agency may register at most " + props.maxPerAgency()
                    + " webhooks; delete one first");
        }
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(secretBytes);
        String secret = "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        jdbc.sql("""
                insert into webhook (id, agency_id, url, description, secret, created_at)
                values (:id, :agency, :url, :description, :secret, :now)""")
                .param("id", id)
                .param("agency", caller.id())
                .param("url", url.toString())
                .param("description", request.description())
                .param("secret", secret)
                .param("now", Timestamp.from(now))
                .update();
        return new WebhookRequests.Registered(id, url.toString(), request.description(), now, secret,
                WebhookSignature.HEADER + ": t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + \".\" + raw body)>");
    }

    @Transactional(readOnly = true)
    Page<WebhookRequests.View> list(Caller caller, int limit, String cursor) {
        PageCursor after = PageCursor.decode(cursor, 2);
        List<WebhookRequests.View> rows = jdbc.sql("""
                select id, url, description, created_at from webhook
                where agency_id = :agency and deleted_at is null
                  and (cast(:afterTime as timestamptz) is null or (created_at, id) > (:afterTime, :afterId))
                order by created_at, id limit :limit""")
                .param("agency", caller.id())
                .param("afterTime", after == null ? null : Timestamp.from(after.instant(0)))
                .param("afterId", after == null ? null : after.uuid(1))
                .param("limit", limit + 1)
                .query((rs, n) -> new WebhookRequests.View(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3), rs.getTimestamp(4).toInstant()))
                .list();
        return Paging.page(rows, limit, v -> PageCursor.encode(v.createdAt(), v.id()));
    }

    @Transactional
    void delete(Caller caller, UUID id) {
        int deleted = jdbc.sql("""
                update webhook set deleted_at = now() where id = :id and agency_id = :agency and deleted_at is null""")
                .param("id", id)
                .param("agency", caller.id())
                .update();
        if (deleted == 0) {
            throw new NotFoundException("no webhook " + id);
        }
        // Nothing more goes to a deleted hook.
        jdbc.sql("""
                update webhook_delivery set state = 'FAILED', last_error = 'webhook deleted'
                where webhook_id = :id and state = 'PENDING'""")
                .param("id", id)
                .update();
    }

    @Transactional(readOnly = true)
    Page<WebhookRequests.Delivery> deliveries(Caller caller, UUID webhookId, int limit, String cursor) {
        PageCursor before = PageCursor.decode(cursor, 2);
        boolean owned = jdbc.sql("select count(*) from webhook where id = :id and agency_id = :agency")
                .param("id", webhookId)
                .param("agency", caller.id())
                .query(Integer.class)
                .single() > 0;
        if (!owned) {
            throw new NotFoundException("no webhook " + webhookId);
        }
        List<WebhookRequests.Delivery> rows = jdbc.sql("""
                select id, event_id, event_type, state, attempts, last_status, last_error, created_at,
                  next_attempt_at, delivered_at
                from webhook_delivery where webhook_id = :id
                  and (cast(:beforeTime as timestamptz) is null or (created_at, id) < (:beforeTime, :beforeId))
                order by created_at desc, id desc limit :limit""")
                .param("id", webhookId)
                .param("beforeTime", before == null ? null : Timestamp.from(before.instant(0)))
                .param("beforeId", before == null ? null : before.uuid(1))
                .param("limit", limit + 1)
                .query(WebhookService::delivery)
                .list();
        return Paging.page(rows, limit, d -> PageCursor.encode(d.createdAt(), d.id()));
    }

    private static WebhookRequests.Delivery delivery(ResultSet rs, int n) throws SQLException {
        Timestamp delivered = rs.getTimestamp("delivered_at");
        int status = rs.getInt("last_status");
        // wasNull speaks of the last column read, so right here.
        Integer lastStatus = rs.wasNull() ? null : status;
        return new WebhookRequests.Delivery(rs.getObject("id", UUID.class), rs.getString("event_id"),
                rs.getString("event_type"), rs.getString("state"), rs.getInt("attempts"),
                lastStatus, rs.getString("last_error"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("next_attempt_at").toInstant(), delivered == null ? null : delivered.toInstant());
    }

    private URI validate(String raw) {
        URI url;
        try {
            url = new URI(raw.strip());
        }
        catch (java.net.URISyntaxException ex) {
            throw new RuleViolationException("url", "not a valid URL");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
        if (!scheme.equals("https") && !(scheme.equals("http") && props.allowPrivateTargets())) {
            throw new RuleViolationException("url", "must be an https URL");
        }
        if (url.getHost() == null || url.getUserInfo() != null || url.getFragment() != null) {
            throw new RuleViolationException("url", "must have a host and no user info or fragment");
        }
        // Checked again at every connection (DNS may change its answer); refusing here tells the agency early.
        try {
            targets.allowedAddresses(url.getHost());
        }
        catch (RefusedTargetException ex) {
            throw new RuleViolationException("url", "must not point into a private or special-purpose network");
        }
        catch (UnknownHostException ex) {
            throw new RuleViolationException("url", "host does not resolve");
        }
        return url;
    }
}
