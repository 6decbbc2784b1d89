package cn.chuanyu.casetransfer.exchange;

import java.util.Set;

import cn.chuanyu.kit.domain.DomainModel;
import cn.chuanyu.kit.domain.StaleVersionException;

/**
 * The versions of an exchange a command was made against (optimistic concurrency): any version, or one of a set.
 * An empty set matches nothing (the caller named only versions that cannot exist).
 */
@DomainModel
public record ExpectedVersion(boolean any, Set<Integer> versions) {

    public static final ExpectedVersion ANY = new ExpectedVersion(true, Set.of());

    public ExpectedVersion {
        versions = Set.copyOf(versions);
    }

    public static ExpectedVersion oneOf(Set<Integer> versions) {
        return new ExpectedVersion(false, versions);
    }

    public void check(int currentVersion) {
        if (!any && !versions.contains(currentVersion)) {
            throw new StaleVersionException("the command was made against version " + describe()
                    + ", not the current version " + currentVersion + "; reload and retry", currentVersion);
        }
    }

    private String describe() {
        return versions.isEmpty() ? "(none)" : versions.stream().sorted().map(String::valueOf)
                .reduce((a, b) -> a + " or " + b).orElseThrow();
    }
}
