package cn.chuanyu.casetransfer.exchange;

/**
 * What this node holds of an exchange that the link's checks compare a peer event with: its parties and, for a
 * replica, the region whose node decides it ({@code originRegion} null when this node decides).
 */
public record ExchangeParties(String fromAgency, String toAgency, String originRegion) {

    public boolean decidedHere() {
        return originRegion == null;
    }
}
