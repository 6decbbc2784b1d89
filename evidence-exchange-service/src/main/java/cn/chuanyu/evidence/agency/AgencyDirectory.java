package cn.chuanyu.evidence.agency;

import cn.chuanyu.contracts.AgencyRegistered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The agencies this service knows of; fed by {@code agency.registered} events from the gateway's registry. */
@Component
public class AgencyDirectory {

    private final JdbcClient jdbc;

    AgencyDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(String agencyId) {
        return jdbc.sql("select count(*) from agency where id = :id")
                .param("id", agencyId)
                .query(Integer.class)
                .single() > 0;
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
