package cn.chuanyu.kit.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Gauges of the outbox read from its table at each scrape: {@code chuanyu.outbox.backlog} (rows not yet sent) and
 * {@code chuanyu.outbox.oldest.unsent.age} (seconds since the oldest unsent row was written; 0 when none).
 * A failing query reads as NaN rather than breaking the scrape.
 */
public class OutboxMetrics implements MeterBinder {

    private final JdbcClient jdbc;

    public OutboxMetrics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("chuanyu.outbox.backlog", this, OutboxMetrics::backlog)
                .description("outbox rows not yet confirmed by the broker")
                .register(registry);
        Gauge.builder("chuanyu.outbox.oldest.unsent.age", this, OutboxMetrics::oldestAgeSeconds)
                .description("age of the oldest unsent outbox row")
                .baseUnit("seconds")
                .register(registry);
    }

    double backlog() {
        try {
            return jdbc.sql("select count(*) from outbox_event where sent_at is null").query(Long.class).single();
        }
        catch (RuntimeException ex) {
            return Double.NaN;
        }
    }

    double oldestAgeSeconds() {
        try {
            Double age = jdbc.sql("""
                    select coalesce(extract(epoch from (now() - min(created_at))), 0)::float8
                    from outbox_event where sent_at is null""")
                    .query(Double.class).single();
            return age == null ? 0 : Math.max(0, age);
        }
        catch (RuntimeException ex) {
            return Double.NaN;
        }
    }
}
