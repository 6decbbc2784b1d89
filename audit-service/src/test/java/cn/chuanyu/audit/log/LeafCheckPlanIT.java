package cn.chuanyu.audit.log;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import cn.chuanyu.kit.test.TestInfrastructure;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The check that every leaf names a stored entry (a statement trigger on audit_leaf) must not keep a plan made while
 * the log was small: on one connection, the first append is planned as a sequential scan of audit_entry (index
 * scans switched off for it), the log then grows, and the next append must read audit_entry by its key, not scan
 * it again. Counted with PostgreSQL's table statistics (flushed on demand), in a database of its own.
 */
class LeafCheckPlanIT {

    private static final String HOST = "jdbc:postgresql://localhost:5432/";

    @Test
    void anAppendOnALargeLogProbesEntriesByKeyWhateverWasPlannedWhenItWasSmall() throws Exception {
        String database = TestInfrastructure.dropAtExit("cyx_test_leafplan_" + TestInfrastructure.RUN_ID);
        try (Connection admin = DriverManager.getConnection(HOST + "postgres", "postgres", "");
                Statement st = admin.createStatement()) {
            st.execute("drop database if exists " + database + " with (force)");
            st.execute("create database " + database);
        }
        Flyway.configure().dataSource(HOST + database, "postgres", "").locations("classpath:db/migration")
                .placeholders(Map.of("service_role", "postgres")).load().migrate();

        try (Connection db = DriverManager.getConnection(HOST + database, "postgres", "");
                Statement st = db.createStatement()) {
            st.execute(entries(1, 100));
            db.setAutoCommit(false);
            st.execute("set local enable_indexscan = off");
            st.execute("set local enable_indexonlyscan = off");
            st.execute("set local enable_bitmapscan = off");
            st.execute("insert into audit_leaf (leaf_index, seq) values (0, 1)");
            db.commit();
            db.setAutoCommit(true);

            st.execute(entries(101, 50_000));
            long before = seqScans(st);
            st.execute("insert into audit_leaf (leaf_index, seq) select g - 1, g from generate_series(2, 17) g");
            assertThat(seqScans(st) - before).as("sequential scans of audit_entry by the second append's check")
                    .isZero();

            assertThatThrownBy(() -> st.execute("insert into audit_leaf (leaf_index, seq) values (17, 999999)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("must name a stored audit entry");
        }
    }

    private static String entries(int from, int to) {
        return """
                insert into audit_entry (seq, event_id, type, source, exchange_id, occurred_at, envelope)
                select g, 'event-' || g, 'test.happened', 'test', 'exchange-' || g, now(),
                  '{"data": {"pad": "' || repeat('x', 300) || '"}}'
                from generate_series(%d, %d) g""".formatted(from, to);
    }

    /** audit_entry's sequential scans so far, this connection's included (flushed by the call before). */
    private static long seqScans(Statement st) throws SQLException {
        st.execute("select pg_stat_force_next_flush()");
        st.execute("select pg_stat_clear_snapshot()");
        try (ResultSet rs = st.executeQuery("select seq_scan from pg_stat_user_tables where relname = 'audit_entry'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
