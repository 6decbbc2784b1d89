package cn.chuanyu.casetransfer.exchange;

import java.util.List;
import java.util.Optional;

import cn.chuanyu.contracts.Region;
import cn.chuanyu.kit.agency.AgencyDirectory;
import cn.chuanyu.kit.node.NodeIdentity;
import cn.chuanyu.kit.outbox.LinkRoute;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which exchanges cross to the peer region's node (two-region mode, docs/two-regions.md) and the link sequence of
 * each: an exchange crosses when one of its parties belongs to the peer's region. On one node nothing crosses and
 * every agency is local.
 */
@Component
public class CrossBorder {

    private final NodeIdentity node;
    private final AgencyDirectory agencies;
    private final JdbcClient jdbc;

    CrossBorder(NodeIdentity node, AgencyDirectory agencies, JdbcClient jdbc) {
        this.node = node;
        this.agencies = agencies;
        this.jdbc = jdbc;
    }

    public boolean twoRegions() {
        return node.twoRegions();
    }

    /** The peer node's region ("SC" or "CQ"); empty on one node. */
    public Optional<String> peerRegion() {
        return node.peerRegion().map(Region::name);
    }

    /** True when the agency belongs to the peer's region (never on one node, nor for an agency unknown here). */
    public boolean isPeer(String agency) {
        Optional<Region> peer = node.peerRegion();
        return peer.isPresent() && agency != null && agencies.region(agency).filter(peer.get()::equals).isPresent();
    }

    /**
     * Refuses for now (an exception, so the message is retried) an agency this node has not heard of: the peer's
     * agencies reach it over the link on their own queue, and the first exchange from a new peer agency can overtake
     * its registration. A known agency of the wrong region is a refusal, which the caller decides.
     */
    public void requireKnown(String agency) {
        if (agency != null && agencies.region(agency).isEmpty()) {
            throw new AgencyNotKnownYetException(agency);
        }
    }

    /** An agency not (yet) in this node's directory: transient, retried. */
    public static final class AgencyNotKnownYetException extends RuntimeException {
        AgencyNotKnownYetException(String agency) {
            super("agency " + agency + " is not in this node's directory yet (its registration may still be on its "
                    + "way over the link): retried");
        }
    }

    /** True when the agency belongs to this node's own region (two-region mode; never for an unknown agency). */
    public boolean isLocal(String agency) {
        Optional<Region> own = node.region();
        return own.isPresent() && agency != null && agencies.region(agency).filter(own.get()::equals).isPresent();
    }

    public boolean crosses(String fromAgency, String toAgency) {
        return node.twoRegions() && (isPeer(fromAgency) || isPeer(toAgency));
    }

    /** The agencies among {@code addressees} whose inbox is on this node (all of them, on one node). */
    public List<String> local(List<String> addressees) {
        return node.twoRegions() ? addressees.stream().filter(a -> !isPeer(a)).toList() : addressees;
    }

    /**
     * The next link sequence number of the exchange in this node's direction, 1, 2, 3 ... The counter row stays
     * locked until the caller's transaction ends, so concurrent events of one exchange take consecutive numbers in
     * commit order, and a rolled-back one gives its number back (no gap the receiver would wait on for ever).
     */
    LinkRoute nextRoute(String exchangeId) {
        long seq = jdbc.sql("""
                insert into link_out (exchange_id, last_seq) values (:id, 1)
                on conflict (exchange_id) do update set last_seq = link_out.last_seq + 1
                returning last_seq""")
                .param("id", exchangeId)
                .query(Long.class)
                .single();
        return new LinkRoute(peerRegion().orElseThrow(), seq);
    }
}
