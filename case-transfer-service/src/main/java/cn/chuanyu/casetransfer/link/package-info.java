/**
 * The inbound side of the link between the two regions' nodes (docs/two-regions.md): events of the peer node arrive
 * on {@code case-transfer-service.link-in}, only from the link's broker user; each exchange's events are applied in
 * their {@code cy-link-seq} order (a later one waits in {@code link_pending}), once each.
 */
package cn.chuanyu.casetransfer.link;
