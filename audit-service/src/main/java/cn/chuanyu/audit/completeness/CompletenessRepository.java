package cn.chuanyu.audit.completeness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class CompletenessRepository {

    static final int MAX_RANGES = 1000;

    private final JdbcClient jdbc;

    CompletenessRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    CompletenessReport report() {
        Map<String, long[]> summary = new LinkedHashMap<>();
        jdbc.sql("""
                select producer, max(producer_seq), count(distinct producer_seq), count(*)
                from audit_entry where producer is not null and producer_seq is not null
                group by producer order by producer""")
                .query(rs -> {
                    summary.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                });
        Map<String, List<ProducerCompleteness.Range>> gaps = new LinkedHashMap<>();
        // A gap is a number above its predecessor + 1 (the first number's predecessor being 0).
        jdbc.sql("""
                select producer, prev + 1, producer_seq - 1 from (
                  select producer, producer_seq,
                         coalesce(lag(producer_seq) over (partition by producer order by producer_seq), 0) as prev
                  from (select distinct producer, producer_seq from audit_entry
                        where producer is not null and producer_seq is not null) d) t
                where producer_seq > prev + 1
                order by producer, producer_seq""")
                .query(rs -> {
                    gaps.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new ProducerCompleteness.Range(rs.getLong(2), rs.getLong(3)));
                });
        List<ProducerCompleteness> producers = new ArrayList<>();
        boolean complete = true;
        for (Map.Entry<String, long[]> e : summary.entrySet()) {
            long last = e.getValue()[0];
            long received = e.getValue()[1];
            List<ProducerCompleteness.Range> missing = gaps.getOrDefault(e.getKey(), List.of());
            long missingCount = last - received;
            complete &= missingCount == 0;
            producers.add(new ProducerCompleteness(e.getKey(), last, received, missingCount,
                    missing.size() > MAX_RANGES ? missing.subList(0, MAX_RANGES) : missing,
                    e.getValue()[2] - received));
        }
        long unnumbered = jdbc.sql("select count(*) from audit_entry where producer is null or producer_seq is null")
                .query(Long.class)
                .single();
        return new CompletenessReport(complete, producers, unnumbered);
    }
}
