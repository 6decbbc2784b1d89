package cn.chuanyu.casetransfer.support;

import cn.chuanyu.contracts.AgencyKind;
import cn.chuanyu.contracts.AgencyRegistered;
import cn.chuanyu.contracts.Region;
import cn.chuanyu.contracts.Role;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.identity.Caller;
import cn.chuanyu.kit.test.TestHttp;
import cn.chuanyu.kit.test.TestInfrastructure;

/** The agencies the API tests act as, and calls made the way the gateway would forward them. */
public final class Agencies {

    public static final Caller SC_COURT = agency("sc-chengdu-intermediate-court", Region.SC, AgencyKind.COURT);
    public static final Caller CQ_COURT = agency("cq-first-intermediate-court", Region.CQ, AgencyKind.COURT);
    public static final Caller CQ_POLICE = agency("cq-yubei-public-security", Region.CQ, AgencyKind.PUBLIC_SECURITY);
    public static final Caller[] ALL = {SC_COURT, CQ_COURT, CQ_POLICE};

    private Agencies() {
    }

    /** Makes the agencies known to the service, as the gateway's agency.registered events would. */
    public static void registerIn(AgencyDirectory directory, Caller... agencies) {
        for (Caller c : agencies.length == 0 ? ALL : agencies) {
            directory.register(new AgencyRegistered(c.id(), c.id(), c.region(), c.kind()));
        }
    }

    public static Caller agency(String id, Region region, AgencyKind kind) {
        return new Caller(id, Role.AGENCY, region, kind);
    }

    public static TestHttp.Response post(int port, Caller caller, String path, String json, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "X-Chuanyu-Principal";
        all[1] = TestInfrastructure.token(caller);
        System.arraycopy(headers, 0, all, 2, headers.length);
        return TestHttp.postJson("http://localhost:" + port + path, json, all);
    }

    public static TestHttp.Response get(int port, Caller caller, String path) {
        return TestHttp.get("http://localhost:" + port + path, "X-Chuanyu-Principal", TestInfrastructure.token(caller));
    }
}
