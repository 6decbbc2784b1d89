/**
 * Delivery evidences (after ETSI REM / e-CODEX; docs/two-regions.md): signed notes by this node's key stating what
 * happened to an exchange on its journey (SUBMISSION_ACCEPTED, RELAY_ACCEPTED, DELIVERED, RETRIEVED, RELAY_FAILED,
 * NON_DELIVERY), and those received from the peer node, verified against its pinned key before they are kept.
 */
package cn.chuanyu.casetransfer.deliveryevidence;
