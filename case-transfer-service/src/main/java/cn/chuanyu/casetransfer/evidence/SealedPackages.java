package cn.chuanyu.casetransfer.evidence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The sealed evidence packages known here, and what other features may ask of them. */
@Component
public class SealedPackages {

    private final JdbcClient jdbc;

    SealedPackages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether a package sealed by {@code sender} for {@code recipient} is known (the direction matters). */
    public boolean sealedFromTo(UUID packageId, String sender, String recipient) {
        return jdbc.sql("""
                select count(*) from sealed_package where id = :id and from_agency = :from and to_agency = :to""")
                .param("id", packageId)
                .param("from", sender)
                .param("to", recipient)
                .query(Integer.class)
                .single() > 0;
    }

    /** Records a seal; the same package again (a redelivered event) changes nothing. */
    void record(UUID packageId, String sender, String recipient, Instant sealedAt) {
        jdbc.sql("""
                insert into sealed_package (id, from_agency, to_agency, sealed_at)
                values (:id, :from, :to, :at) on conflict (id) do nothing""")
                .param("id", packageId)
                .param("from", sender)
                .param("to", recipient)
                .param("at", Timestamp.from(sealedAt))
                .update();
    }
}
