package cn.chuanyu.kit.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Creates the service's own PostgreSQL database on first start, as soon as the data source bean exists and before
 * Flyway or anything else connects (the pool connects lazily). Tests with per-run database names get theirs too.
 * Switch off with {@code chuanyu.database.create-if-missing=false} where the role may not create databases.
 */
public class DatabaseBootstrap implements BeanPostProcessor, EnvironmentAware {

    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([A-Za-z0-9_]+)(\\?.*)?");

    private Environment env;
    private boolean done;

    @Override
    public void setEnvironment(Environment environment) {
        this.env = environment;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof DataSource && !done) {
            done = true;
            ensureConfiguredDatabase();
        }
        return bean;
    }

    private void ensureConfiguredDatabase() {
        if (!env.getProperty("chuanyu.database.create-if-missing", Boolean.class, true)) {
            return;
        }
        String url = env.getProperty("spring.datasource.url");
        if (url == null) {
            return;
        }
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            return;
        }
        String database = m.group(2);
        String maintenanceUrl = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        ensureDatabase(maintenanceUrl, env.getProperty("spring.datasource.username"),
                env.getProperty("spring.datasource.password"), database);
    }

    static void ensureDatabase(String maintenanceUrl, String user, String password, String database) {
        try (Connection c = DriverManager.getConnection(maintenanceUrl, user, password)) {
            try (PreparedStatement q = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                q.setString(1, database);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                // The name matched [A-Za-z0-9_]+ above, so quoting it is safe.
                s.execute("create database \"" + database + "\"");
            }
        }
        catch (SQLException ex) {
            // 42P04: another instance created it first.
            if (!"42P04".equals(ex.getSQLState())) {
                throw new IllegalStateException("cannot reach PostgreSQL at " + maintenanceUrl
                        + " to create database " + database + ": " + ex.getMessage(), ex);
            }
        }
    }
}
