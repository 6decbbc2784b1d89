package cn.chuanyu.kit.db;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * Migrates the kit's own tables (outbox, processed events) with a history table of their own, so the kit's
 * versions never interleave with a service's migrations. Like the service's own migrations it runs as
 * {@code spring.flyway.user} when one is set: the schema's owner, while the service itself runs as a login role
 * with only the rights it needs.
 */
public class KitSchema {

    /**
     * @param migrationUser     the role migrations run as, or null for the service's own data source
     * @param migrationPassword its password
     */
    public KitSchema(DataSource dataSource, String url, String migrationUser, String migrationPassword) {
        var configuration = Flyway.configure();
        if (migrationUser != null && !migrationUser.isBlank() && url != null) {
            configuration.dataSource(url, migrationUser, migrationPassword);
        }
        else {
            configuration.dataSource(dataSource);
        }
        configuration
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
