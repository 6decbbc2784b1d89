package cn.chuanyu.kit.db;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * Migrates the kit's own tables (outbox, processed events) with a history table of their own, so the kit's
 * versions never interleave with a service's migrations.
 */
public class KitSchema {

    public KitSchema(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/kit")
                .table("kit_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                // Kit migrations create independent tables, so one added later with a lower version still applies.
                .outOfOrder(true)
                .load()
                .migrate();
    }
}
