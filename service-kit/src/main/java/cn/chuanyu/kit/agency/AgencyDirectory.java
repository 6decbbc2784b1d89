package cn.chuanyu.kit.agency;

import java.time.Duration;

import cn.chuanyu.contracts.AgencyRegistered;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The agencies a service knows of, in its own {@code agency} table (id, name, region, kind; created by the
 * service's migrations), fed by {@code agency.registered} events from the gateway's registry. Agencies are never
 * removed, so a "known" answer is remembered for a while; "unknown" is always asked again.
 */
public class AgencyDirectory {

    private final JdbcClient jdbc;
    private final Cache<String, Boolean> known = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5))
            .build();

    public AgencyDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(String agencyId) {
        if (agencyId == null) {
            return false;
        }
        if (known.getIfPresent(agencyId) != null) {
            return true;
        }
        boolean exists = jdbc.sql("select count(*) from agency where id = :id")
                .param("id", agencyId)
                .query(Integer.class)
                .single() > 0;
        if (exists) {
            known.put(agencyId, Boolean.TRUE);
        }
        return exists;
    }

    public void register(AgencyRegistered agency) {
        jdbc.sql("""
                insert into agency (id, name, region, kind) values (:id, :name, :region, :kind)
                on conflict (id) do update set name = excluded.name, region = excluded.region, kind = excluded.kind""")
                .param("id", agency.agencyId())
                .param("name", agency.name())
                .param("region", agency.region().name())
                .param("kind", agency.kind().name())
                .update();
    }
}
