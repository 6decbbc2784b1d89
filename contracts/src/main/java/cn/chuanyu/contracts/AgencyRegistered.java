package cn.chuanyu.contracts;

/** Data of {@link EventTypes#AGENCY_REGISTERED}: an agency joined the registry (or was seeded). */
public record AgencyRegistered(String agencyId, String name, Region region, AgencyKind kind) {
}
